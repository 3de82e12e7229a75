//! Benchmark, not a test: how long one tray picture takes to draw, per style and size, and the
//! whole set the Linux tray publishes at each change, in the build it runs in (`cargo run --release -p clickatell-balance-core --example tray_icon_render`).

use clickatell_core::tray_icon::{render, render_set, IconStyle, IconView, Tone, PIXMAP_SIZES};
use std::time::Instant;
use strum::VariantArray;

fn main() {
    let view = IconView {
        tone: Tone::Warning,
        text: "1.2k".into(),
        dimmed: false,
        fill: Some(0.4),
    };
    const RUNS: u32 = 2000;
    for style in IconStyle::VARIANTS.iter().copied() {
        let mut figures: Vec<String> = PIXMAP_SIZES
            .into_iter()
            .map(|size| {
                std::hint::black_box(render(&view, style, size));
                let start = Instant::now();
                for _ in 0..RUNS {
                    std::hint::black_box(render(std::hint::black_box(&view), style, size));
                }
                let micros = start.elapsed().as_secs_f64() * 1e6 / f64::from(RUNS);
                format!("{size} px {micros:.1} µs")
            })
            .collect();
        let start = Instant::now();
        for _ in 0..RUNS {
            std::hint::black_box(render_set(std::hint::black_box(&view), style));
        }
        let micros = start.elapsed().as_secs_f64() * 1e6 / f64::from(RUNS);
        figures.push(format!("the set {micros:.1} µs"));
        println!("{:<8} {}", style.as_str(), figures.join(", "));
    }
}
