//! The tray icon's picture, drawn at run time so the balance can be read without a tooltip:
//! most panels (GNOME's AppIndicator extension, Windows until hovered) show only the icon.
//! Pure: a view, a style and a size in, RGBA pixels out, so every picture is table-tested.

mod font;

use font::{Font, SMALL, TINY};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// What the icon draws; the `tray_icon` setting.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum IconStyle {
    /// The compact balance on a shape coloured by state.
    #[default]
    Balance,
    /// A battery-like fill from zero to the peak of the last 30 days.
    Meter,
    /// The app's "C" on a disc coloured by state, without a number.
    Symbol,
}

impl IconStyle {
    /// The name used in settings and file names.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// The state a picture's colour says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "kebab-case")]
pub enum Tone {
    Ok,
    Warning,
    Critical,
    /// An error, or a reading too old to trust.
    Error,
    /// No token, or the token was rejected: the user must act.
    NoToken,
}

impl Tone {
    /// The name used in file names.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The shape's colour: saturated enough to read on light and dark panels alike.
    fn colour(self) -> [u8; 3] {
        match self {
            Self::Ok => [0x1E, 0x8E, 0x3E],
            Self::Warning => [0xE0, 0x8A, 0x00],
            Self::Critical => [0xD3, 0x2F, 0x2F],
            Self::Error => [0x6B, 0x6F, 0x76],
            Self::NoToken => [0x3D, 0x5A, 0xFE],
        }
    }

    /// The text's colour on the shape: dark on amber, where white would be faint.
    fn ink(self) -> [u8; 3] {
        match self {
            Self::Warning => [0x1B, 0x1B, 0x1B],
            _ => [0xFF, 0xFF, 0xFF],
        }
    }
}

/// Everything a picture depends on; a new picture is pushed only when this changes.
#[derive(Debug, Clone, PartialEq)]
pub struct IconView {
    pub tone: Tone,
    /// The compact balance ("97", "1.2k"), or "—" when unknown.
    pub text: String,
    /// Offline or stale: the last number is kept, faded.
    pub dimmed: bool,
    /// The meter's fill, 0 to 1; `None` when there is nothing to compare with.
    pub fill: Option<f64>,
}

/// How much of a dimmed picture shows.
const DIM_OPACITY: f64 = 0.45;

/// Every size a tray host may draw the icon at: the panel sizes (16 px in GNOME's bar, 22 and
/// 24 px in freedesktop panels), and those doubled on HiDPI displays. A host takes the smallest
/// picture of at least its size, so each of these is drawn exactly, never scaled.
pub const PIXMAP_SIZES: [u32; 6] = [16, 22, 24, 32, 48, 64];

/// One picture of the set, as `render` draws it.
#[derive(Debug, Clone, PartialEq)]
pub struct Pixmap {
    pub size: u32,
    pub rgba: Vec<u8>,
}

/// The picture at every size of `PIXMAP_SIZES`, each drawn at its own size.
pub fn render_set(view: &IconView, style: IconStyle) -> Vec<Pixmap> {
    PIXMAP_SIZES
        .iter()
        .map(|&size| Pixmap {
            size,
            rgba: render(view, style, size),
        })
        .collect()
}

/// Draws `view` in `style` as a `size`×`size` RGBA image (rows top to bottom, 4 bytes a pixel).
pub fn render(view: &IconView, style: IconStyle, size: u32) -> Vec<u8> {
    let mut canvas = Canvas::new(size);
    match style {
        IconStyle::Balance => draw_balance(&mut canvas, view),
        IconStyle::Meter => draw_meter(&mut canvas, view),
        IconStyle::Symbol => draw_symbol(&mut canvas, view),
    }
    if view.dimmed {
        canvas.fade(DIM_OPACITY);
    }
    canvas.pixels
}

/// The balance in at most four characters, never more than there is: "0", "9.9", "97", "999",
/// "1k", "1.2k", "12k", "1.2M", "-5"; beyond trillions "7E28". Digits are cut, not rounded.
pub fn compact_number(amount: Decimal) -> String {
    let negative = amount.is_sign_negative() && !amount.is_zero();
    let a = amount.abs();
    let body = if a < Decimal::from(10) {
        one_place(a)
    } else if a < Decimal::from(1000) {
        a.trunc().to_string()
    } else if a < Decimal::from(1_000_000_000_000_000i64) {
        let units = [
            (1_000_000_000_000i64, 'T'),
            (1_000_000_000, 'G'),
            (1_000_000, 'M'),
            (1_000, 'k'),
        ];
        let (unit, suffix) = units
            .into_iter()
            .find(|(unit, _)| a >= Decimal::from(*unit))
            .expect("a is at least 1000");
        let scaled = a / Decimal::from(unit);
        let digits = if scaled < Decimal::from(10) {
            one_place(scaled)
        } else {
            scaled.trunc().to_string()
        };
        format!("{digits}{suffix}")
    } else {
        let digits = a.trunc().to_string();
        format!("{}E{}", &digits[..1], digits.len() - 1)
    };
    if !negative {
        return body;
    }
    // A sign leaves room for three characters: the tenths go first.
    let body = match body.split_once('.') {
        Some((whole, rest)) if body.len() >= 4 => {
            format!(
                "{whole}{}",
                rest.trim_start_matches(|c: char| c.is_ascii_digit())
            )
        }
        _ => body,
    };
    format!("-{body}")
}

/// One decimal place, cut; "5" rather than "5.0".
fn one_place(a: Decimal) -> String {
    let cut = (a * Decimal::from(10)).trunc() / Decimal::from(10);
    let text = cut.normalize().to_string();
    text.strip_suffix(".0").unwrap_or(&text).to_owned()
}

/// A square RGBA image that shapes are composited onto.
struct Canvas {
    size: u32,
    pixels: Vec<u8>,
}

impl Canvas {
    fn new(size: u32) -> Self {
        Self {
            size,
            pixels: vec![0; (size * size * 4) as usize],
        }
    }

    /// Paints `colour` over every pixel by the coverage of a shape given as a signed distance
    /// in pixels (negative inside) from the pixel's centre, which anti-aliases its edge.
    fn shape(&mut self, colour: [u8; 3], distance: impl Fn(f64, f64) -> f64) {
        for y in 0..self.size {
            for x in 0..self.size {
                let coverage =
                    (0.5 - distance(f64::from(x) + 0.5, f64::from(y) + 0.5)).clamp(0.0, 1.0);
                self.blend(x, y, colour, coverage);
            }
        }
    }

    /// Composites `colour` at `alpha` over one pixel ("over" operator, straight alpha).
    fn blend(&mut self, x: u32, y: u32, colour: [u8; 3], alpha: f64) {
        if alpha <= 0.0 || x >= self.size || y >= self.size {
            return;
        }
        let i = ((y * self.size + x) * 4) as usize;
        let below = f64::from(self.pixels[i + 3]) / 255.0;
        let out = alpha + below * (1.0 - alpha);
        for (c, value) in colour.iter().enumerate() {
            let mixed = (f64::from(*value) * alpha
                + f64::from(self.pixels[i + c]) * below * (1.0 - alpha))
                / out;
            self.pixels[i + c] = mixed.round() as u8;
        }
        self.pixels[i + 3] = (out * 255.0).round() as u8;
    }

    fn fade(&mut self, opacity: f64) {
        for alpha in self.pixels.iter_mut().skip(3).step_by(4) {
            *alpha = (f64::from(*alpha) * opacity).round() as u8;
        }
    }

    /// Draws `text` centred, each font pixel a `scale`×`scale` block, on whole pixels.
    fn text(&mut self, text: &str, font: &Font, scale: u32, colour: [u8; 3]) {
        let width = font.width(text) * scale;
        let height = font.height * scale;
        let mut left = (self.size.saturating_sub(width)) / 2;
        let top = (self.size.saturating_sub(height)).div_ceil(2);
        for c in text.chars() {
            let rows = font.glyph(c);
            for (row, line) in rows.iter().enumerate() {
                for (col, mark) in line.chars().enumerate() {
                    if mark != '#' {
                        continue;
                    }
                    for dy in 0..scale {
                        for dx in 0..scale {
                            let x = left + col as u32 * scale + dx;
                            let y = top + row as u32 * scale + dy;
                            self.blend(x, y, colour, 1.0);
                        }
                    }
                }
            }
            left += (rows[0].len() as u32 + font.spacing) * scale;
        }
    }
}

/// Signed distance to a rounded rectangle centred at (cx, cy) with half sides (hx, hy).
fn rounded_rect(x: f64, y: f64, cx: f64, cy: f64, hx: f64, hy: f64, radius: f64) -> f64 {
    let qx = (x - cx).abs() - (hx - radius);
    let qy = (y - cy).abs() - (hy - radius);
    qx.max(0.0).hypot(qy.max(0.0)) + qx.max(qy).min(0.0) - radius
}

/// The largest font and whole-pixel scale that fit `text` within `room` pixels each way;
/// on a tie in height the 5×7 font, whose shapes read better.
fn fit(text: &str, room: u32) -> Option<(&'static Font, u32)> {
    let mut best: Option<(&'static Font, u32)> = None;
    for font in [&TINY, &SMALL] {
        for scale in 1..=8 {
            if font.width(text) * scale > room || font.height * scale > room {
                break;
            }
            let height = font.height * scale;
            if best.is_none_or(|(f, s)| height >= f.height * s) {
                best = Some((font, scale));
            }
        }
    }
    best
}

/// Room for the number: a margin of a pixel at 16 px, more on larger icons, so glyphs do not
/// touch the edge. Four full-width glyphs need all 16 px of the smallest icon, and get them.
fn room(size: u32) -> u32 {
    size - 2 * (size / 12).max(1)
}

fn draw_balance(canvas: &mut Canvas, view: &IconView) {
    let s = f64::from(canvas.size);
    let half = s / 2.0;
    canvas.shape(view.tone.colour(), |x, y| {
        rounded_rect(x, y, half, half, half, half, s * 0.22)
    });
    let text = if view.text.is_empty() {
        "—"
    } else {
        &view.text
    };
    if let Some((font, scale)) = fit(text, room(canvas.size)).or_else(|| fit(text, canvas.size)) {
        canvas.text(text, font, scale, view.tone.ink());
    }
}

fn draw_meter(canvas: &mut Canvas, view: &IconView) {
    let s = f64::from(canvas.size);
    let colour = view.tone.colour();
    let stroke = (s / 14.0).max(1.0);
    let (cx, top, bottom) = (s / 2.0, s * 0.16, s * 0.96);
    let (hx, hy) = (s * 0.27, (bottom - top) / 2.0);
    let cy = top + hy;
    // The cap, then the body's outline.
    canvas.shape(colour, |x, y| {
        rounded_rect(x, y, cx, s * 0.1, s * 0.12, s * 0.07, s * 0.03)
    });
    canvas.shape(colour, |x, y| {
        rounded_rect(x, y, cx, cy, hx, hy, s * 0.08).abs() - stroke / 2.0
    });
    let Some(fill) = view.fill else {
        return;
    };
    let inset = stroke * 1.5;
    let inner_top = top + inset;
    let inner_bottom = bottom - inset;
    let level = inner_bottom - (inner_bottom - inner_top) * fill.clamp(0.0, 1.0);
    if fill > 0.0 {
        canvas.shape(colour, |x, y| {
            let in_body = rounded_rect(x, y, cx, cy, hx - inset, hy - inset, s * 0.04);
            in_body.max(level - y)
        });
    }
}

fn draw_symbol(canvas: &mut Canvas, view: &IconView) {
    let s = f64::from(canvas.size);
    let c = s / 2.0;
    canvas.shape(view.tone.colour(), |x, y| (x - c).hypot(y - c) - s * 0.47);
    // A thick "C": a ring with a gap opening to the right, with round ends.
    let (radius, half_width, gap) = (s * 0.24, s * 0.075, 40f64.to_radians());
    let ends = [gap, -gap].map(|a| (c + radius * a.cos(), c + radius * a.sin()));
    canvas.shape(view.tone.ink(), |x, y| {
        let angle = (y - c).atan2(x - c);
        if angle.abs() < gap {
            ends.iter()
                .map(|(ex, ey)| (x - ex).hypot(y - ey))
                .fold(f64::INFINITY, f64::min)
                - half_width
        } else {
            ((x - c).hypot(y - c) - radius).abs() - half_width
        }
    });
}

/// The meter's fill: the balance against the highest reading of the last 30 days.
pub fn meter_fill(amount: Decimal, peak: Option<Decimal>) -> Option<f64> {
    let peak = peak.filter(|p| *p > Decimal::ZERO)?.max(amount);
    (amount / peak).to_f64().map(|f| f.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests;
