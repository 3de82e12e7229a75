//! GNOME's top bar, as Ubuntu users meet the app: Debian's GNOME Shell 43 in X11 mode on a
//! private display, with the AppIndicator extension Ubuntu ships enabled. The shell draws the
//! icon at 16 px (32 px at a display scale of 2), picking the smallest picture of at least
//! that size: the picture on screen must be the golden one of that size, pixel for pixel. It
//! shows the item's label beside the icon, and a click opens the item's menu.

mod support;

use std::process::{Child, Stdio};
use std::time::Duration;
use support::app::{App, Sandbox};
use support::clickatell::{FakeClickatell, Reply};
use support::desktop::{eventually, golden_icon, read_screenshot, Pixel, TrayItem};

const TOKEN: &str = "tok_GNOME-5ca1ab1e";

fn start(home: &Sandbox, server: &FakeClickatell) -> App {
    App::spawn(
        home,
        &["--base-url", &server.url()],
        &[("CLICKATELL_TOKEN", TOKEN)],
    )
}

/// The top bar's rows at this scale (the bar is 32 px high at 100 %).
fn bar_height(scale: usize) -> usize {
    32 * scale
}

/// Where `picture` (size × size, with alpha) shows on the screenshot, drawn unscaled over the
/// bar: the top-left corner of the place where it differs least from the screen, and how
/// much it differs there (the largest difference in any channel of any opaque pixel), at the
/// opacity the shell draws it with.
fn find_picture(
    screen: &(usize, usize, Vec<(u8, u8, u8)>),
    size: usize,
    picture: &[Pixel],
) -> ((usize, usize), u8) {
    let (width, height, pixels) = screen;
    let at = |x: usize, y: usize| pixels[y * width + x];
    let mut best = ((0, 0), u8::MAX);
    // GNOME draws panel icons a little translucent (about 94 %): the same picture, faded
    // evenly, which no scaling would give.
    for opacity in (88..=100).map(|p| f64::from(p) / 100.0) {
        for top in 0..height.saturating_sub(size) {
            for left in 1..width.saturating_sub(size) {
                // The bar behind the picture: the pixel left of it.
                let background = at(left - 1, top + size / 2);
                let mut worst = 0u8;
                'pixels: for y in 0..size {
                    for x in 0..size {
                        let (r, g, b, a) = picture[y * size + x];
                        // The rounded corners' edge is blended by the compositor its own way;
                        // the inside (the shape and its digits) is what scaling would blur.
                        if a < 250 {
                            continue;
                        }
                        let alpha = f64::from(a) / 255.0 * opacity;
                        let over = |c: u8, bg: u8| {
                            (f64::from(c) * alpha + f64::from(bg) * (1.0 - alpha)).round() as u8
                        };
                        let want = (
                            over(r, background.0),
                            over(g, background.1),
                            over(b, background.2),
                        );
                        let got = at(left + x, top + y);
                        let diff = want
                            .0
                            .abs_diff(got.0)
                            .max(want.1.abs_diff(got.1))
                            .max(want.2.abs_diff(got.2));
                        worst = worst.max(diff);
                        if worst >= best.1 {
                            break 'pixels;
                        }
                    }
                }
                if worst < best.1 {
                    best = ((left, top), worst);
                }
            }
        }
    }
    best
}

/// How wide the text right of the icon is: the columns, from the icon's right edge to the
/// first gap of 12 blank columns, that hold a light (text) pixel.
fn label_width(
    screen: &(usize, usize, Vec<(u8, u8, u8)>),
    icon_right: usize,
    rows: std::ops::Range<usize>,
) -> usize {
    let (width, _, pixels) = screen;
    let light = |x: usize| {
        rows.clone().any(|y| {
            let (r, g, b) = pixels[y * width + x];
            r.min(g).min(b) > 160
        })
    };
    let (mut last, mut gap) = (icon_right, 0);
    for x in icon_right..*width {
        if light(x) {
            last = x;
            gap = 0;
        } else {
            gap += 1;
            if gap >= 12 {
                break;
            }
        }
    }
    last.saturating_sub(icon_right)
}

/// Watches the session bus for the calls the shell makes to the app's menu.
struct BusLog {
    child: Child,
    path: std::path::PathBuf,
}

impl BusLog {
    fn start(home: &Sandbox) -> Self {
        let path = home.home().join("dbus-monitor.log");
        let file = std::fs::File::create(&path).unwrap();
        let child = home
            .command("dbus-monitor")
            .args(["--session", "interface='com.canonical.dbusmenu'"])
            .stdout(Stdio::from(file))
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-monitor (Debian package dbus-bin)");
        std::thread::sleep(Duration::from_millis(500));
        Self { child, path }
    }

    fn text(&self) -> String {
        std::fs::read_to_string(&self.path).unwrap_or_default()
    }
}

impl Drop for BusLog {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Clicks at a point of the screen, as the user's pointer would.
fn click(home: &Sandbox, x: usize, y: usize) {
    let status = home
        .command("xdotool")
        .args(["mousemove", &x.to_string(), &y.to_string(), "click", "1"])
        .status()
        .expect("xdotool (Debian package xdotool)");
    assert!(status.success());
}

/// The top bar at `scale`, with the app: where the icon shows, and the label's width.
/// `golden` names the picture expected, without its size.
fn icon_on_the_bar(
    home: &Sandbox,
    name: &str,
    scale: usize,
    golden: &str,
) -> ((usize, usize), usize, u8) {
    let size = 16 * scale;
    let (golden_size, golden) = golden_icon(&format!("{golden}-{size}"));
    assert_eq!(golden_size, size);
    let mut found = ((0, 0), u8::MAX);
    let mut screen = (0, 0, Vec::new());
    // The shell draws a new picture within a frame or two of reading it.
    eventually(Duration::from_secs(20), || {
        let shot = home.screenshot_top(name, bar_height(scale) as u32, 0);
        screen = read_screenshot(&shot);
        found = find_picture(&screen, size, &golden);
        found.1 <= 8
    });
    let ((left, top), worst) = found;
    let width = label_width(&screen, left + size, top..top + size);
    ((left, top), width, worst)
}

fn top_bar_at(scale: usize) {
    let home = Sandbox::with_gnome_shell(scale as u32);
    let server = FakeClickatell::scripted(vec![
        Reply::rest_balance("300.50"),
        Reply::rest_balance("12300.50"),
    ]);
    let app = start(&home, &server);
    let item = TrayItem::wait(&home, app.pid(), Duration::from_secs(30)).expect("tray item");
    assert!(
        eventually(Duration::from_secs(15), || item.label().0
            == "300.50 credits"),
        "the label is {:?}",
        item.label()
    );
    assert_eq!(item.label().1, "888.88 credits", "the guide");

    let percent = scale * 100;
    let ((left, top), short, worst) = icon_on_the_bar(
        &home,
        &format!("gnome-top-bar-{percent}.png"),
        scale,
        "balance-ok",
    );
    assert!(
        worst <= 8,
        "the {} px golden picture is not on the top bar pixel for pixel (off by {worst} at \
         best, at {left},{top}): see tests/artifacts/gnome-top-bar-{percent}.png",
        16 * scale
    );
    assert!(
        short >= 40 * scale,
        "no label drawn beside the icon ({short} px of text)"
    );

    // A click on the icon opens the item's menu: the shell tells the app so.
    let bus = BusLog::start(&home);
    let before = open_menu(
        &home,
        &bus,
        1,
        (left, top),
        scale,
        &format!("gnome-menu-{percent}-before.png"),
    );
    assert!(before > 0, "no menu drawn under the bar");
    close_menu(&home);

    // The label follows the balance: a longer number, a wider label.
    // (Refreshes closer together than the monitor's debounce join the last reading.)
    assert!(
        eventually(Duration::from_secs(20), || {
            item.click("Refresh now");
            std::thread::sleep(Duration::from_millis(800));
            item.label().0 == "12,300.50 credits"
        }),
        "the label is {:?}",
        item.label()
    );
    // The bar is packed from the right: the icon moves left as the label grows.
    let ((left, top), long, worst) = icon_on_the_bar(
        &home,
        &format!("gnome-top-bar-{percent}-after.png"),
        scale,
        "balance-text12k",
    );
    assert!(
        worst <= 8,
        "the 12k picture is not on the top bar (off by {worst})"
    );
    assert!(
        long > short + 8 * scale,
        "the drawn label did not grow with the balance ({short} px, then {long} px)"
    );

    // The menu's first line follows the balance too: the shell shows it wider now.
    let after = open_menu(
        &home,
        &bus,
        2,
        (left, top),
        scale,
        &format!("gnome-menu-{percent}.png"),
    );
    assert!(
        after > before + 8 * scale,
        "the menu's balance line did not follow the balance ({before} px, then {after} px)"
    );
}

/// Opens the item's menu with a click on the icon at `at`, as the `count`th time (the shell
/// tells the app each time: its `opened` event, seen on the bus), saves the screen as `name`
/// and gives the width of the menu's first line (the balance), drawn under the bar.
fn open_menu(
    home: &Sandbox,
    bus: &BusLog,
    count: usize,
    (left, top): (usize, usize),
    scale: usize,
    name: &str,
) -> usize {
    click(home, left + 8 * scale, top + 8 * scale);
    assert!(
        eventually(Duration::from_secs(10), || bus
            .text()
            .matches("\"opened\"")
            .count()
            >= count),
        "no menu opened on a click: {}",
        bus.text()
    );
    std::thread::sleep(Duration::from_millis(700));
    let shot = home.screenshot_top(name, 300 * scale as u32, 0);
    let (width, _, pixels) = read_screenshot(&shot);
    let rows = bar_height(scale) + 10 * scale..bar_height(scale) + 44 * scale;
    let from = left.saturating_sub(120 * scale);
    let text = |x: usize| {
        rows.clone().any(|y| {
            let (r, g, b) = pixels[y * width + x];
            r.min(g).min(b) > 110
        })
    };
    // The line is the rightmost run of text (the overview's search box may be to its left).
    let columns: Vec<usize> = (from..width).filter(|&x| text(x)).collect();
    let Some(&last) = columns.last() else {
        return 0;
    };
    let mut first = last;
    for &x in columns.iter().rev().skip(1) {
        if first - x > 12 * scale {
            break;
        }
        first = x;
    }
    last - first
}

/// Closes an open menu, as Escape does.
fn close_menu(home: &Sandbox) {
    let status = home
        .command("xdotool")
        .args(["key", "Escape"])
        .status()
        .expect("xdotool (Debian package xdotool)");
    assert!(status.success());
    std::thread::sleep(Duration::from_millis(500));
}

#[test]
fn gnomes_top_bar_shows_the_16_px_picture_and_the_label_and_a_click_opens_the_menu() {
    top_bar_at(1);
}

#[test]
fn at_200_percent_the_32_px_picture_and_a_label_twice_as_large() {
    top_bar_at(2);
}
