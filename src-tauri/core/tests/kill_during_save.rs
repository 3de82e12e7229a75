//! A save killed with SIGKILL at any moment never leaves an invalid settings file: the file
//! always holds either the previous or the new settings. The test runs itself as the child
//! process that saves in a loop, and kills it at varying moments.

use clickatell_core::account::Account;
use clickatell_core::{Decimal, Settings, SettingsStore};
use std::process::{Command, Stdio};
use std::time::Duration;

const CHILD_DIR: &str = "CLICKATELL_SAVE_LOOP_DIR";
const ROUNDS: u64 = 40;

fn settings(n: u64) -> Settings {
    Settings {
        accounts: vec![Account {
            warning_level: Some(Decimal::from(n + 100)),
            critical_level: Some(Decimal::from(n)),
            ..Account::default()
        }],
        ..Settings::default()
    }
}

/// The child: saves new settings until it is killed.
fn save_forever(dir: &str) -> ! {
    let store = SettingsStore::new(std::path::Path::new(dir).join("settings.json"));
    for n in 1.. {
        store.save(&settings(n)).unwrap();
    }
    unreachable!()
}

#[test]
fn a_save_killed_at_any_moment_never_leaves_an_invalid_file() {
    if let Ok(dir) = std::env::var(CHILD_DIR) {
        save_forever(&dir);
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("settings.json");
    let store = SettingsStore::new(path.clone());
    store.save(&settings(0)).unwrap();
    let mut last_seen = 0;
    let mut advanced = 0;
    for round in 0..ROUNDS {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "a_save_killed_at_any_moment_never_leaves_an_invalid_file",
            ])
            .env(CHILD_DIR, dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Kill at a different moment each round: start-up, first saves, many saves in.
        std::thread::sleep(Duration::from_millis(5 + (round * 37) % 120));
        child.kill().unwrap();
        child.wait().unwrap();

        let loaded = store.load().unwrap();
        assert!(
            loaded.set_aside.is_none(),
            "round {round}: the file was unusable after a kill: {:?}",
            loaded.set_aside
        );
        let critical = loaded
            .settings
            .first()
            .critical_level
            .expect("a saved level");
        assert_eq!(
            loaded.settings.first().warning_level,
            Some(critical + Decimal::from(100)),
            "round {round}: a mix of two saves"
        );
        let n: u64 = critical.try_into().unwrap();
        if n != last_seen {
            advanced += 1;
        }
        last_seen = n;
    }
    let leftovers = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.path() != path)
        .count();
    println!(
        "{ROUNDS} saves killed: the file was valid every time; saves landed between kills in \
         {advanced} rounds; {leftovers} temporary files left by killed saves"
    );
    assert!(
        advanced > ROUNDS / 2,
        "the child rarely saved: the test proves little"
    );
}
