//! The tray icon's pictures against golden images: every style × state × size, the numbers
//! that stretch the width, and dimmed ones. `UPDATE_GOLDEN=1` rewrites the goldens and the
//! contact sheet `docs/tray-icons.png` (each picture ×4 on a light and a dark panel), which is
//! how they are judged by eye; every run leaves that sheet in `tests/artifacts/` too.

use clickatell_core::tray_icon::{render, IconStyle, IconView, Tone, PIXMAP_SIZES};
use std::path::{Path, PathBuf};
use strum::VariantArray;

/// Largest difference allowed in any channel: float rounding, never a changed picture.
const TOLERANCE: u8 = 3;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/tray-icons")
}

/// Each state as it usually looks: its typical number, fill and dimming.
fn view(tone: Tone) -> IconView {
    let (text, fill, dimmed) = match tone {
        Tone::Ok => ("300", Some(0.8), false),
        Tone::Warning => ("97", Some(0.3), false),
        Tone::Critical => ("9.9", Some(0.06), false),
        Tone::Error => ("1.2k", Some(0.5), true),
        Tone::NoToken => ("—", None, false),
    };
    IconView {
        tone,
        text: text.into(),
        dimmed,
        fill,
    }
}

/// Every picture under test, named.
fn cases() -> Vec<(String, IconView, IconStyle, u32)> {
    let mut cases = Vec::new();
    for style in IconStyle::VARIANTS.iter().copied() {
        for tone in Tone::VARIANTS.iter().copied() {
            for size in PIXMAP_SIZES {
                let name = format!("{}-{}-{size}", style.as_str(), tone.as_str());
                cases.push((name, view(tone), style, size));
            }
        }
    }
    for text in ["12k", "999k", "1.2M", "-12k", "7E28"] {
        for size in PIXMAP_SIZES {
            let v = IconView {
                text: text.into(),
                ..view(Tone::Ok)
            };
            cases.push((
                format!("balance-text{text}-{size}"),
                v,
                IconStyle::Balance,
                size,
            ));
        }
    }
    for size in PIXMAP_SIZES {
        let v = IconView {
            dimmed: true,
            ..view(Tone::Warning)
        };
        cases.push((
            format!("balance-warning-dimmed-{size}"),
            v,
            IconStyle::Balance,
            size,
        ));
    }
    cases
}

fn write_png(path: &Path, width: u32, height: u32, rgba: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let file = std::fs::File::create(path).unwrap();
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder
        .write_header()
        .unwrap()
        .write_image_data(rgba)
        .unwrap();
}

fn read_png(path: &Path) -> (u32, Vec<u8>) {
    let file = std::fs::File::open(path)
        .unwrap_or_else(|_| panic!("{} is missing: run with UPDATE_GOLDEN=1", path.display()));
    let mut reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgba, "{}", path.display());
    buf.truncate(info.buffer_size());
    (info.width, buf)
}

#[test]
fn every_picture_matches_its_golden_image() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    for (name, view, style, size) in cases() {
        let rgba = render(&view, style, size);
        assert_eq!(rgba.len(), (size * size * 4) as usize, "{name}");
        let path = golden_dir().join(format!("{name}.png"));
        if update {
            write_png(&path, size, size, &rgba);
            continue;
        }
        let (width, golden) = read_png(&path);
        let worst = rgba
            .iter()
            .zip(&golden)
            .map(|(a, b)| a.abs_diff(*b))
            .max()
            .unwrap_or(0);
        if width != size || worst > TOLERANCE {
            failures.push(format!("{name}: off by up to {worst}"));
        }
    }
    let sheet = root().join(if update {
        "docs/tray-icons.png"
    } else {
        "tests/artifacts/tray-icons.png"
    });
    contact_sheet(&sheet);
    assert!(
        failures.is_empty(),
        "pictures differ from their goldens (UPDATE_GOLDEN=1 rewrites them after a look at \
         {}):\n{}",
        sheet.display(),
        failures.join("\n")
    );
}

#[test]
fn the_text_changes_the_picture_and_the_tone_its_colour() {
    let base = view(Tone::Ok);
    let other_text = IconView {
        text: "301".into(),
        ..base.clone()
    };
    let other_tone = IconView {
        tone: Tone::Critical,
        ..base.clone()
    };
    for size in PIXMAP_SIZES {
        let picture = render(&base, IconStyle::Balance, size);
        assert_ne!(
            picture,
            render(&other_text, IconStyle::Balance, size),
            "{size}"
        );
        assert_ne!(
            picture,
            render(&other_tone, IconStyle::Balance, size),
            "{size}"
        );
        // The centre pixel row holds ink: the number is drawn, not only the shape.
        let row = (size / 2) as usize;
        let ink = (0..size as usize)
            .filter(|x| picture[(row * size as usize + x) * 4..][..3] == [0xFF, 0xFF, 0xFF])
            .count();
        assert!(ink >= 2, "no number drawn at {size} px");
    }
}

/// Every case ×4 (nearest neighbour) in a grid, on a light and a dark panel.
fn contact_sheet(path: &Path) {
    const ZOOM: u32 = 4;
    const CELL: u32 = PIXMAP_SIZES[PIXMAP_SIZES.len() - 1] * ZOOM + 8;
    let cases = cases();
    let columns = PIXMAP_SIZES.len() as u32 * 2;
    let rows = (cases.len() as u32).div_ceil(PIXMAP_SIZES.len() as u32);
    let (width, height) = (columns * CELL, rows * CELL);
    let mut sheet = vec![0u8; (width * height * 4) as usize];
    for (i, (_, view, style, size)) in cases.iter().enumerate() {
        let picture = render(view, *style, *size);
        let row = i as u32 / PIXMAP_SIZES.len() as u32;
        for (panel, background) in [(0u32, [0xF2u8, 0xF2, 0xF2]), (1, [0x2B, 0x2B, 0x2B])] {
            let column = panel * PIXMAP_SIZES.len() as u32 + i as u32 % PIXMAP_SIZES.len() as u32;
            let (left, top) = (column * CELL, row * CELL);
            for y in 0..CELL {
                for x in 0..CELL {
                    let mut rgb = background.map(f64::from);
                    let (px, py) = ((x as i64 - 4) / ZOOM as i64, (y as i64 - 4) / ZOOM as i64);
                    let inside = x >= 4 && y >= 4 && px < *size as i64 && py < *size as i64;
                    if inside {
                        let p = &picture[((py as u32 * size + px as u32) * 4) as usize..][..4];
                        let a = f64::from(p[3]) / 255.0;
                        for c in 0..3 {
                            rgb[c] = f64::from(p[c]) * a + rgb[c] * (1.0 - a);
                        }
                    }
                    let at = (((top + y) * width + left + x) * 4) as usize;
                    sheet[at..at + 4].copy_from_slice(&[
                        rgb[0] as u8,
                        rgb[1] as u8,
                        rgb[2] as u8,
                        255,
                    ]);
                }
            }
        }
    }
    write_png(path, width, height, &sheet);
}
