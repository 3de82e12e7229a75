//! A keyring locked at login (auto-login leaves it so), with the real gnome-keyring in a
//! private session: the app asks it once, not at every poll or for every account, and reads
//! the balance as soon as the user unlocks it (gnome-keyring's own unlock call stands for the
//! user typing the password). And a keyring that is open is read once, not at every poll.

mod support;

use std::time::{Duration, Instant};
use support::app::{terminate, App, Sandbox};
use support::clickatell::{FakeClickatell, Reply};
use support::desktop::{eventually, TrayItem};
use support::secret_service::{lock, unlock, Monitor};

const TOKEN: &str = "tok_LOCKED-5d6e7f8091";
const PROMPTS: &str =
    "type='method_call',interface='org.freedesktop.Secret.Prompt',member='Prompt'";
const SECRET_SERVICE_CALLS: &str = "type='method_call',destination='org.freedesktop.secrets'";

/// `watch` polling every 2 s over eight seconds with the keyring locked, then unlocked: one
/// prompt at most, no request before the unlock, every account read within seconds after it.
fn asked_once_then_read(ids: &[&str]) {
    let home = Sandbox::with_keyring();
    let server = FakeClickatell::always(Reply::rest_balance("300.50"));
    if ids.len() > 1 {
        let accounts: Vec<String> = ids
            .iter()
            // First polls staggered over a tenth of the saved interval: all within the wait.
            .map(|id| {
                format!(
                    r#"{{"id": "{id}", "name": "{}", "poll_interval_secs": 30}}"#,
                    id.to_uppercase()
                )
            })
            .collect();
        home.write_settings(&format!(r#"{{"accounts": [{}]}}"#, accounts.join(",")));
    }
    for id in ids {
        let token = format!("{TOKEN}-{id}");
        let stored = home.run(&["--account", id, "token", "set"], Some(&token), &[]);
        stored.expect_code(0);
    }
    lock(&home);
    let prompts = Monitor::start(&home, PROMPTS);
    let watch = home.spawn(
        &["--base-url", &server.url(), "watch", "--interval", "2s"],
        &[],
    );
    std::thread::sleep(Duration::from_secs(8));
    assert!(
        server.requests().is_empty(),
        "a request was made with the keyring locked"
    );
    unlock(&home);
    let unlocked = Instant::now();
    let all_read = eventually(Duration::from_secs(10), || {
        ids.iter().all(|id| {
            let bearer = format!("Bearer {TOKEN}-{id}");
            server
                .requests()
                .iter()
                .any(|r| r.header("Authorization") == Some(bearer.as_str()))
        })
    });
    let after = unlocked.elapsed();
    let out = terminate(watch);
    let asked = prompts.count("Prompt");
    println!(
        "{} account(s): {asked} unlock prompt(s) over four poll intervals; read {} ms after the unlock",
        ids.len(),
        after.as_millis()
    );
    assert!(
        all_read,
        "not every account was read after the unlock: {out:#?}"
    );
    assert!(
        asked <= 1,
        "{asked} unlock prompts for {} account(s)",
        ids.len()
    );
    assert!(out.stderr.contains("keyring-locked"), "{out:#?}");
    if ids.len() > 1 {
        for id in ids {
            let waited = format!("{}: keyring-locked", id.to_uppercase());
            assert!(out.stderr.contains(&waited), "{waited:?}: {out:#?}");
        }
    }
    assert!(!out.stderr.contains(TOKEN) && !out.stdout.contains(TOKEN));
}

#[test]
fn a_locked_keyring_is_asked_once_and_read_as_soon_as_it_is_unlocked() {
    asked_once_then_read(&["main"]);
}

#[test]
fn three_accounts_behind_one_locked_keyring_are_one_prompt() {
    asked_once_then_read(&["main", "eu", "us"]);
}

#[test]
fn the_tray_says_the_keyring_is_locked_and_shows_the_balance_once_unlocked() {
    let home = Sandbox::with_tray();
    let server = FakeClickatell::always(Reply::rest_balance("300.50"));
    home.run(&["token", "set"], Some(TOKEN), &[]).expect_code(0);
    lock(&home);
    let mut app = App::spawn(&home, &["--base-url", &server.url()], &[]);
    let item = TrayItem::wait(&home, app.pid(), Duration::from_secs(30))
        .expect("the tray item appears on the bus");
    let said = eventually(Duration::from_secs(15), || {
        item.tooltip()
            .contains("Keyring locked: unlock it to read the balance")
    });
    assert!(said, "tooltip is {:?}", item.tooltip());
    let labels: Vec<String> = item.menu().into_iter().map(|(_, l, _)| l).collect();
    assert!(labels.iter().any(|l| l == "Unlock keyring…"), "{labels:?}");
    unlock(&home);
    let read = eventually(Duration::from_secs(10), || {
        item.tooltip().starts_with("Clickatell: 300.50 credits")
    });
    assert!(read, "tooltip is {:?} after the unlock", item.tooltip());
    assert!(app.running());
}

#[test]
fn an_open_keyring_is_read_once_for_many_polls() {
    let home = Sandbox::with_keyring();
    let server = FakeClickatell::always(Reply::rest_balance("300.50"));
    home.run(&["token", "set"], Some(TOKEN), &[]).expect_code(0);
    let calls = Monitor::start(&home, SECRET_SERVICE_CALLS);
    let watch = home.spawn(
        &["--base-url", &server.url(), "watch", "--interval", "1s"],
        &[],
    );
    let polled = eventually(Duration::from_secs(20), || server.requests().len() >= 6);
    terminate(watch);
    let searches = calls.count("SearchItems");
    println!("six polls: {searches} keyring search(es)");
    assert!(polled, "watch did not poll six times");
    assert_eq!(
        searches, 1,
        "the keyring was searched {searches} times for six polls"
    );
}
