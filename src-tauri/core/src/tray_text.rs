//! What the tray shows for a snapshot: the picture, a label, a two-line tooltip and the menu's
//! first line. Pure text, so every state is unit tested without a desktop.

use crate::balance::{group_thousands, with_scale_of};
use crate::levels::Thresholds;
use crate::snapshot::{Snapshot, Status};
use crate::tray_icon::{compact_number, meter_fill, IconView, Tone};
use crate::Balance;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// Whether the label is shown beside the icon where the host can; the `tray_label` setting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TrayLabel {
    /// The balance in words (`TrayView::label`).
    #[default]
    Balance,
    /// The icon alone.
    Off,
}

/// Everything the tray displays.
#[derive(Debug, Clone, PartialEq)]
pub struct TrayView {
    /// The balance in words beside the icon, where the host shows a label (GNOME's
    /// AppIndicator extension, the macOS menu bar): "97.25 credits"; with several accounts the
    /// one most in need, "EU 97.25 low", or how many need the user, "2 low".
    pub label: String,
    /// The tooltip's first line, which StatusNotifierItem hosts show in bold: the balance.
    pub headline: String,
    /// The tooltip's second line: the state and age.
    pub detail: String,
    /// What the icon's picture is drawn from.
    pub picture: IconView,
    /// The disabled first line of the menu.
    pub menu_line: String,
}

impl TrayView {
    /// Both lines, for hosts whose tooltip is one plain text (Windows, macOS).
    pub fn tooltip(&self) -> String {
        plain_tooltip(&self.headline, &self.detail)
    }
}

/// A tooltip's headline and detail as one plain text, a line each.
pub fn plain_tooltip(headline: &str, detail: &str) -> String {
    format!("{headline}\n{detail}")
}

/// The tray's view of a snapshot at time `now`; `peak` is the highest balance of the last 30
/// days, which the meter fills against; `account` names the account where it needs naming
/// (the demo's "Demo").
pub fn tray_view(
    s: &Snapshot,
    thresholds: &Thresholds,
    now: OffsetDateTime,
    peak: Option<Decimal>,
    account: Option<&str>,
) -> TrayView {
    let balance = s.balance.as_ref();
    let compact = balance.map(compact_balance);
    let headline = match &compact {
        Some(c) => format!("Clickatell: {c}"),
        None => "Clickatell Balance".to_owned(),
    };
    let age = s.fetched_at.map(|at| ago(now - at));
    let last = balance
        .map(|b| format!(" — last {}", group_thousands(display_amount(b))))
        .unwrap_or_default();
    let detail = match s.status {
        Status::Starting => "Checking the balance…".to_owned(),
        Status::Ok => {
            let mut line = format!("Updated {}", age.clone().unwrap_or_default());
            if let Some(f) = s.forecast.as_ref().filter(|f| f.days_to_zero.is_some()) {
                line.push_str(&format!(" · {}", f.summary()));
            }
            line
        }
        Status::Warning => format!(
            "Updated {} · warning below {}",
            age.clone().unwrap_or_default(),
            level_text(thresholds.warning, balance)
        ),
        Status::Critical => format!(
            "Updated {} · critical below {}",
            age.clone().unwrap_or_default(),
            level_text(thresholds.critical, balance)
        ),
        Status::Stale => format!(
            "Not updated since {}{last}",
            age.clone().unwrap_or_default()
        ),
        Status::TokenMissing => "No token — open settings".to_owned(),
        Status::TokenRejected => "Token rejected — open settings".to_owned(),
        Status::KeyringLocked => "Keyring locked: unlock it to read the balance".to_owned(),
        Status::Offline => match s.failing_since {
            Some(since) => format!("Offline for {}{last}", duration_text(now - since)),
            None => format!("Offline{last}"),
        },
        Status::RateLimited => format!("Rate limited by Clickatell — retrying{}", next_try(s, now)),
        Status::Error => format!(
            "Error: {}",
            first_sentence(s.error.as_deref().unwrap_or("unknown"))
        ),
    };
    let number = balance.map(|b| compact_number(b.amount));
    let picture = IconView {
        tone: tone(s.status),
        text: number.clone().unwrap_or_else(|| "—".to_owned()),
        dimmed: balance.is_some()
            && matches!(
                s.status,
                Status::Stale | Status::Offline | Status::RateLimited
            ),
        fill: balance.and_then(|b| meter_fill(b.amount, peak)),
    };
    let menu_line = match &compact {
        Some(c) => format!("Balance: {c}"),
        None => "Balance: unknown".to_owned(),
    };
    let label = compact.unwrap_or_else(|| s.status.words().to_owned());
    match account {
        None => TrayView {
            label,
            headline,
            detail,
            picture,
            menu_line,
        },
        Some(name) => TrayView {
            label: format!("{name} {label}"),
            headline: format!("{name} account — {headline}"),
            detail,
            picture,
            menu_line: format!("{name} {menu_line}"),
        },
    }
}

/// One watched account, as the tray sums up several.
#[derive(Debug, Clone, Copy)]
pub struct AccountState<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub snapshot: &'a Snapshot,
    pub thresholds: Thresholds,
    /// The highest balance of its last 30 days, for the meter.
    pub peak: Option<Decimal>,
}

/// What the tray shows for every watched account, and the menu's line per account (the
/// account's id and the line's text).
#[derive(Debug, Clone, PartialEq)]
pub struct TrayOverview {
    pub view: TrayView,
    pub lines: Vec<(String, String)>,
}

/// The tray for `accounts` (in their order) at `now`. With one account it is that account's
/// view, as the single-account versions showed it (named only in the `demo`). With several,
/// the picture and label are the account that most needs the user (the first such, on a
/// tie), the tooltip has a line per account ("EU: 97.25 credits — low") and so does the menu.
pub fn tray_overview(
    accounts: &[AccountState<'_>],
    now: OffsetDateTime,
    demo: bool,
) -> TrayOverview {
    let view_of = |a: &AccountState<'_>, named: bool| {
        tray_view(
            a.snapshot,
            &a.thresholds,
            now,
            a.peak,
            named.then_some(a.name),
        )
    };
    let line_of = |a: &AccountState<'_>| {
        let amount = a
            .snapshot
            .balance
            .as_ref()
            .map_or_else(|| "—".to_owned(), compact_balance);
        format!("{}: {amount} — {}", a.name, a.snapshot.status.words())
    };
    let lines = accounts
        .iter()
        .map(|a| (a.id.to_owned(), line_of(a)))
        .collect();
    let Some(worst) = accounts
        .iter()
        .rev()
        .max_by_key(|a| a.snapshot.status.severity())
    else {
        let empty = Snapshot::default();
        let mut view = tray_view(&empty, &Thresholds::default(), now, None, None);
        view.detail = "No account is enabled — open settings".into();
        return TrayOverview { view, lines };
    };
    if accounts.len() == 1 {
        return TrayOverview {
            view: view_of(worst, demo),
            lines,
        };
    }
    let own = view_of(worst, true);
    let needing = accounts.iter().filter(|a| needs_user(a)).count();
    let headline = match needing {
        0 => format!("Clickatell: {} accounts, all ok", accounts.len()),
        1 => format!(
            "Clickatell: {} {}",
            worst.name,
            worst.snapshot.status.words()
        ),
        n => format!(
            "Clickatell: {n} of {} accounts need attention",
            accounts.len()
        ),
    };
    // Simulated accounts say so wherever they are shown.
    let headline = if demo {
        format!("Demo accounts — {headline}")
    } else {
        headline
    };
    let detail = accounts.iter().map(line_of).collect::<Vec<_>>().join("\n");
    TrayOverview {
        view: TrayView {
            label: overview_label(accounts, worst),
            headline,
            detail,
            picture: own.picture,
            menu_line: own.menu_line,
        },
        lines,
    }
}

/// Whether an account's state asks something of the user (a low balance, a token to set, a
/// connection to look at), as the several accounts' headline and label count them.
fn needs_user(a: &AccountState<'_>) -> bool {
    a.snapshot.status.severity() >= 3
}

/// The label for several accounts: the one most in need, "EU 97.25 low" ("EU 1,200" when
/// all are ok), or, when several need the user, how many and why: "2 low" (a critical
/// balance is low too), "3 need attention" when the reasons differ.
fn overview_label(accounts: &[AccountState<'_>], worst: &AccountState<'_>) -> String {
    let reason = |a: &AccountState<'_>| match a.snapshot.status {
        Status::Warning | Status::Critical => "low",
        other => other.words(),
    };
    let needing: Vec<&AccountState<'_>> = accounts.iter().filter(|a| needs_user(a)).collect();
    if let [first, _, ..] = needing.as_slice() {
        let why = reason(first);
        return if needing.iter().all(|a| reason(a) == why) {
            format!("{} {why}", needing.len())
        } else {
            format!("{} need attention", needing.len())
        };
    }
    let amount = worst
        .snapshot
        .balance
        .as_ref()
        .map(|b| group_thousands(display_amount(b)));
    match (amount, worst.snapshot.status) {
        (Some(amount), Status::Ok) => format!("{} {amount}", worst.name),
        (Some(amount), _) => format!("{} {amount} {}", worst.name, reason(worst)),
        (None, status) => format!("{} {}", worst.name, status.words()),
    }
}

/// A text as wide as any label of this shape, for hosts that size the label's place by it
/// (`XAyatanaLabelGuide`), so the panel does not shift as digits change: each digit as the
/// widest one.
pub fn label_guide(label: &str) -> String {
    label
        .chars()
        .map(|c| if c.is_ascii_digit() { '8' } else { c })
        .collect()
}

/// The colour a status shows: the level's while readings come in, grey when they do not.
fn tone(status: Status) -> Tone {
    match status {
        Status::Ok => Tone::Ok,
        Status::Warning => Tone::Warning,
        Status::Critical => Tone::Critical,
        Status::TokenMissing | Status::TokenRejected | Status::KeyringLocked => Tone::NoToken,
        _ => Tone::Error,
    }
}

/// "300.50 credits" or "1,267.93 ZAR": grouped, at most two decimals for the eye.
pub fn compact_balance(b: &Balance) -> String {
    format!("{} {}", group_thousands(display_amount(b)), b.unit())
}

fn display_amount(b: &Balance) -> Decimal {
    if b.amount.scale() > 2 {
        b.amount.round_dp(2)
    } else {
        b.amount
    }
}

fn level_text(level: Option<Decimal>, balance: Option<&Balance>) -> String {
    let Some(level) = level else {
        return "the level".into();
    };
    let scale = balance.map_or(0, |b| display_amount(b).scale());
    group_thousands(with_scale_of(level, scale))
}

fn next_try(s: &Snapshot, now: OffsetDateTime) -> String {
    match s.next_poll_at {
        Some(at) if at > now => format!(" in {}", duration_text(at - now)),
        _ => String::new(),
    }
}

/// "just now", "2 min ago", "3 h ago", "2 d ago".
pub fn ago(d: time::Duration) -> String {
    if d < time::Duration::minutes(1) {
        "just now".into()
    } else {
        format!("{} ago", duration_text(d))
    }
}

/// "45 s", "12 min", "3 h", "2 d".
pub(crate) fn duration_text(d: time::Duration) -> String {
    let minutes = d.whole_minutes().max(0);
    if minutes < 1 {
        format!("{} s", d.whole_seconds().max(0))
    } else if minutes < 60 {
        format!("{minutes} min")
    } else if minutes < 48 * 60 {
        format!("{} h", minutes / 60)
    } else {
        format!("{} d", minutes / (24 * 60))
    }
}

fn first_sentence(text: &str) -> String {
    let end = text.find(". ").map(|i| i + 1).unwrap_or(text.len());
    let sentence = &text[..end];
    if sentence.chars().count() > 90 {
        format!("{}…", sentence.chars().take(90).collect::<String>())
    } else {
        sentence.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::Forecast;
    use std::str::FromStr;
    use time::macros::datetime;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    const NOW: OffsetDateTime = datetime!(2026-11-28 14:30 UTC);

    fn snap(status: Status, amount: Option<&str>, currency: Option<&str>) -> Snapshot {
        Snapshot {
            status,
            balance: amount.map(|a| Balance {
                amount: d(a),
                currency: currency.map(str::to_owned),
            }),
            fetched_at: amount.map(|_| NOW - time::Duration::minutes(2)),
            ..Snapshot::default()
        }
    }

    fn levels() -> Thresholds {
        Thresholds {
            warning: Some(d("100")),
            critical: Some(d("50")),
        }
    }

    #[test]
    fn tooltips_per_state() {
        let mut ok = snap(Status::Ok, Some("300.50"), None);
        ok.forecast = Some(Forecast {
            burn_per_day: Some(25.0),
            days_to_zero: Some(11.6),
            ..Forecast::not_enough_data()
        });
        let mut offline = snap(Status::Offline, Some("300.50"), None);
        offline.failing_since = Some(NOW - time::Duration::minutes(25));
        let mut error = snap(Status::Error, None, None);
        error.error =
            Some("Clickatell gave an unexpected answer (HTTP 418). Try again later.".into());
        let cases = [
            (
                ok,
                "Clickatell: 300.50 credits\nUpdated 2 min ago · ≈ 12 days left at current usage",
                Tone::Ok,
            ),
            (
                snap(Status::Warning, Some("80.00"), None),
                "Clickatell: 80.00 credits\nUpdated 2 min ago · warning below 100.00",
                Tone::Warning,
            ),
            (
                snap(Status::Critical, Some("1267.92865"), Some("ZAR")),
                "Clickatell: 1,267.93 ZAR\nUpdated 2 min ago · critical below 50.00",
                Tone::Critical,
            ),
            (
                snap(Status::TokenRejected, None, None),
                "Clickatell Balance\nToken rejected — open settings",
                Tone::NoToken,
            ),
            (
                snap(Status::TokenMissing, None, None),
                "Clickatell Balance\nNo token — open settings",
                Tone::NoToken,
            ),
            (
                offline,
                "Clickatell: 300.50 credits\nOffline for 25 min — last 300.50",
                Tone::Error,
            ),
            (
                snap(Status::Stale, Some("300.50"), None),
                "Clickatell: 300.50 credits\nNot updated since 2 min ago — last 300.50",
                Tone::Error,
            ),
            (
                error,
                "Clickatell Balance\nError: Clickatell gave an unexpected answer (HTTP 418).",
                Tone::Error,
            ),
            (
                snap(Status::Starting, None, None),
                "Clickatell Balance\nChecking the balance…",
                Tone::Error,
            ),
        ];
        for (s, tooltip, tone) in cases {
            let v = tray_view(&s, &levels(), NOW, None, None);
            assert_eq!(v.tooltip(), tooltip);
            assert_eq!(v.picture.tone, tone, "{tooltip}");
            // Two lines, and the second never repeats the first.
            assert!(!v.detail.contains(&v.headline), "{tooltip}");
            assert!(!v.headline.contains('\n') && !v.detail.contains('\n'));
        }
    }

    #[test]
    fn label_picture_and_menu_line_carry_the_balance() {
        let v = tray_view(
            &snap(Status::Ok, Some("1267.92865"), Some("ZAR")),
            &levels(),
            NOW,
            Some(d("2000")),
            None,
        );
        assert_eq!(
            v.label, "1,267.93 ZAR",
            "as the tooltip's first line words it"
        );
        assert_eq!(v.picture.text, "1.2k");
        assert_eq!(v.picture.fill, Some(0.6339643250));
        assert!(!v.picture.dimmed);
        assert_eq!(v.menu_line, "Balance: 1,267.93 ZAR");
        let v = tray_view(
            &snap(Status::TokenMissing, None, None),
            &levels(),
            NOW,
            None,
            None,
        );
        assert_eq!(
            (
                v.label.as_str(),
                v.picture.text.as_str(),
                v.menu_line.as_str()
            ),
            ("no token", "—", "Balance: unknown")
        );
    }

    #[test]
    fn an_account_that_needs_naming_is_named_in_every_text() {
        let snapshot = snap(Status::Ok, Some("300.50"), None);
        let plain = tray_view(&snapshot, &levels(), NOW, None, None);
        let demo = tray_view(&snapshot, &levels(), NOW, None, Some("Demo"));
        assert_eq!(demo.label, format!("Demo {}", plain.label));
        assert_eq!(demo.headline, "Demo account — Clickatell: 300.50 credits");
        assert_eq!(demo.menu_line, "Demo Balance: 300.50 credits");
        assert_eq!((demo.detail, demo.picture), (plain.detail, plain.picture));
    }

    #[test]
    fn offline_and_stale_keep_the_last_number_dimmed() {
        for status in [Status::Offline, Status::Stale, Status::RateLimited] {
            let v = tray_view(
                &snap(status, Some("97.25"), None),
                &levels(),
                NOW,
                None,
                None,
            );
            assert_eq!(v.picture.text, "97", "{status:?}");
            assert!(v.picture.dimmed, "{status:?}");
            assert_eq!(v.picture.tone, Tone::Error);
        }
        let v = tray_view(
            &snap(Status::Offline, None, None),
            &levels(),
            NOW,
            None,
            None,
        );
        assert!(!v.picture.dimmed, "nothing to dim");
    }

    #[test]
    fn the_label_guide_is_as_wide_as_any_label_of_its_shape() {
        assert_eq!(label_guide("97.25 credits"), "88.88 credits");
        assert_eq!(label_guide("EU 1,267.93 low"), "EU 8,888.88 low");
    }

    #[test]
    fn ages_read_naturally() {
        assert_eq!(ago(time::Duration::seconds(20)), "just now");
        assert_eq!(ago(time::Duration::minutes(2)), "2 min ago");
        assert_eq!(ago(time::Duration::hours(3)), "3 h ago");
        assert_eq!(ago(time::Duration::days(3)), "3 d ago");
    }

    #[test]
    fn several_accounts_show_the_one_most_in_need_and_a_line_each() {
        let snaps = [
            ("main", "Main", snap(Status::Ok, Some("1200"), None)),
            ("eu", "EU", snap(Status::Warning, Some("97.25"), None)),
            (
                "us",
                "US",
                snap(Status::Critical, Some("12.5"), Some("USD")),
            ),
            ("asia", "Asia", snap(Status::TokenRejected, None, None)),
            ("za", "ZA", snap(Status::Offline, Some("300"), Some("ZAR"))),
        ];
        let states: Vec<AccountState<'_>> = snaps
            .iter()
            .map(|(id, name, s)| AccountState {
                id,
                name,
                snapshot: s,
                thresholds: levels(),
                peak: None,
            })
            .collect();
        let o = tray_overview(&states, NOW, false);
        assert_eq!(o.view.picture.tone, Tone::Critical);
        assert_eq!(o.view.label, "4 need attention");
        assert_eq!(
            o.view.headline,
            "Clickatell: 4 of 5 accounts need attention"
        );
        assert_eq!(
            o.view.detail,
            "Main: 1,200 credits — ok\nEU: 97.25 credits — low\nUS: 12.5 USD — critical\n\
             Asia: — — token rejected\nZA: 300 ZAR — offline"
        );
        assert_eq!(
            o.lines[1],
            ("eu".to_owned(), "EU: 97.25 credits — low".to_owned())
        );
        let two = tray_overview(&states[..2], NOW, false);
        assert_eq!(two.view.headline, "Clickatell: EU low");
        assert_eq!(two.view.label, "EU 97.25 low");
        assert_eq!(two.view.picture.tone, Tone::Warning);
        assert_eq!(tray_overview(&states[..3], NOW, false).view.label, "2 low");
        let all_ok = tray_overview(&[states[0], states[0]], NOW, false);
        assert_eq!(all_ok.view.label, "Main 1,200");
        let token_and_ok = tray_overview(&[states[0], states[3]], NOW, false);
        assert_eq!(token_and_ok.view.label, "Asia token rejected");
        let one = tray_overview(&states[..1], NOW, false);
        let alone = tray_view(&snaps[0].2, &levels(), NOW, None, None);
        assert_eq!(one.view, alone, "one account looks as it always did");
    }
}
