use super::*;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

#[test]
fn compact_numbers() {
    let table = [
        ("0", "0"),
        ("0.00", "0"),
        ("0.5", "0.5"),
        ("9.99", "9.9"),
        ("10", "10"),
        ("97.25", "97"),
        ("999", "999"),
        ("999.99", "999"),
        ("1000", "1k"),
        ("1250", "1.2k"),
        ("9999.99", "9.9k"),
        ("12345.67", "12k"),
        ("999999", "999k"),
        ("1250000", "1.2M"),
        ("3000000000", "3G"),
        ("45600000000000", "45T"),
        ("79228162514264337593543950335", "7E28"),
        ("-5", "-5"),
        ("-9.99", "-9.9"),
        ("-97.25", "-97"),
        ("-1250", "-1k"),
        ("-12345", "-12k"),
        ("-1250000", "-1M"),
    ];
    for (amount, compact) in table {
        assert_eq!(compact_number(d(amount)), compact, "{amount}");
    }
}

#[test]
fn compact_numbers_fit_four_characters() {
    for amount in [
        "0.09",
        "9.99",
        "999.99",
        "9999.9",
        "99999",
        "999999999",
        "-999.9",
        "-99999",
    ] {
        let text = compact_number(d(amount));
        assert!(text.chars().count() <= 4, "{amount} → {text}");
    }
}

#[test]
fn every_compact_number_fits_every_size() {
    for text in [
        "0", "9.9", "97", "999", "1.2k", "12k", "999k", "-12k", "-9.9", "7E28", "—",
    ] {
        for size in [16, 22, 24, 32] {
            let four_wide = text.chars().filter(|c| *c != '.').count() == 4;
            let room = if four_wide && size == 16 {
                size
            } else {
                room(size)
            };
            assert!(fit(text, room).is_some(), "{text} at {size}");
        }
    }
}

#[test]
fn the_number_gets_as_large_as_the_icon_allows() {
    assert_eq!(fit("97", 14).map(|(f, s)| (f.height, s)), Some((5, 2)));
    assert_eq!(fit("1.2k", 14).map(|(f, s)| (f.height, s)), Some((5, 1)));
    assert_eq!(fit("1.2k", 20).map(|(f, s)| (f.height, s)), Some((7, 1)));
}

#[test]
fn a_meter_fills_against_the_peak() {
    assert_eq!(meter_fill(d("50"), Some(d("200"))), Some(0.25));
    assert_eq!(meter_fill(d("300"), Some(d("200"))), Some(1.0));
    assert_eq!(meter_fill(d("-5"), Some(d("200"))), Some(0.0));
    assert_eq!(meter_fill(d("50"), None), None);
    assert_eq!(meter_fill(d("50"), Some(d("0"))), None);
}

#[test]
fn dimming_fades_and_keeps_the_picture() {
    let view = IconView {
        tone: Tone::Ok,
        text: "97".into(),
        dimmed: false,
        fill: None,
    };
    let bright = render(&view, IconStyle::Balance, 22);
    let dim = render(
        &IconView {
            dimmed: true,
            ..view
        },
        IconStyle::Balance,
        22,
    );
    for (b, d) in bright.chunks(4).zip(dim.chunks(4)) {
        assert_eq!(&b[..3], &d[..3]);
        assert_eq!(d[3], (f64::from(b[3]) * DIM_OPACITY).round() as u8);
    }
}
