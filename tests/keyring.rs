//! The token in the real OS keyring: gnome-keyring's Secret Service on a private D-Bus
//! session, driven through the `clickatell-balance token` commands.

mod support;

use support::app::Sandbox;
use support::clickatell::{FakeClickatell, Reply};

const TOKEN: &str = "tok_KEYRING-7c3e91aa55";

#[test]
fn set_use_status_and_delete_through_the_secret_service() {
    let home = Sandbox::with_keyring();

    let out = home.run(&["token", "status"], None, &[]);
    out.expect_code(1);
    assert!(out.stdout.contains("No token is stored"), "{out:#?}");

    let out = home.run(&["token", "set"], Some(&format!("  {TOKEN}\n")), &[]);
    out.expect_code(0);
    assert!(
        out.stdout.contains("stored in the Secret Service keyring"),
        "{out:#?}"
    );
    assert!(!out.stdout.contains(TOKEN) && !out.stderr.contains(TOKEN));

    // Another program sees the secret: it is in the real store, not a mock or a file.
    assert_eq!(home.stored_token("main").as_deref(), Some(TOKEN));
    assert!(
        home.files_containing(TOKEN).is_empty(),
        "token in plain text on disk"
    );

    let out = home.run(&["token", "status"], None, &[]);
    out.expect_code(0);
    assert!(out.stdout.contains("A token is stored"), "{out:#?}");
    assert!(!out.stdout.contains(TOKEN));

    // The stored token is what the balance request carries.
    let server = FakeClickatell::always(Reply::rest_balance("42.00"));
    let out = home.run(&["--base-url", &server.url(), "balance"], None, &[]);
    out.expect_code(0);
    assert_eq!(out.stdout, "42.00 credits\n");
    assert_eq!(
        server.requests()[0].header("Authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );

    // CLICKATELL_TOKEN overrides the keyring.
    let out = home.run(
        &["--base-url", &server.url(), "balance"],
        None,
        &[("CLICKATELL_TOKEN", "env-token")],
    );
    out.expect_code(0);
    assert_eq!(
        server.requests()[1].header("Authorization"),
        Some("Bearer env-token")
    );

    let out = home.run(&["token", "delete"], None, &[]);
    out.expect_code(0);
    assert!(out.stdout.contains("removed"), "{out:#?}");
    assert_eq!(home.stored_token("main"), None);
    let out = home.run(&["token", "delete"], None, &[]);
    out.expect_code(0);
    assert!(out.stdout.contains("No token was stored"), "{out:#?}");
}

/// A token stored by version 0.1.0 (one account, keyring user `api-token`) is the first
/// account's: read, moved to its own entry (user `main`) with nothing asked, and not left
/// behind.
#[test]
fn a_single_account_versions_token_moves_to_the_first_account() {
    let home = Sandbox::with_keyring();
    let mut store = home
        .command("secret-tool")
        .args([
            "store",
            "--label=Clickatell",
            "service",
            "clickatell-balance",
            "username",
            "api-token",
        ])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    store
        .stdin
        .take()
        .unwrap()
        .write_all(TOKEN.as_bytes())
        .unwrap();
    assert!(store.wait().unwrap().success());
    let server = FakeClickatell::always(Reply::rest_balance("7"));
    let out = home.run(
        &["--base-url", &server.url(), "check", "--warning", "10"],
        None,
        &[],
    );
    out.expect_code(1);
    assert_eq!(
        server.requests()[0].header("Authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(home.stored_token("main").as_deref(), Some(TOKEN));
    assert_eq!(home.stored_token("api-token"), None);
    let out = home.run(&["--base-url", &server.url(), "balance"], None, &[]);
    out.expect_code(0);
    assert_eq!(
        server.requests()[1].header("Authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

/// Each account has its own entry (user = the account's id); a command on one account needs
/// to be told which when there are several.
#[test]
fn each_account_has_its_own_keyring_entry() {
    let home = Sandbox::with_keyring();
    home.write_settings(
        r#"{"accounts": [{"id": "main", "name": "Main"}, {"id": "eu", "name": "EU"}]}"#,
    );
    let out = home.run(&["token", "set"], Some(TOKEN), &[]);
    out.expect_code(2);
    assert!(
        out.stderr.contains("--account") && out.stderr.contains("EU (eu)"),
        "{out:#?}"
    );
    let out = home.run(&["--account", "EU", "token", "set"], Some("tok-eu"), &[]);
    out.expect_code(0);
    assert!(out.stdout.contains("user eu"), "{out:#?}");
    home.run(
        &["--account", "main", "token", "set"],
        Some("tok-main"),
        &[],
    )
    .expect_code(0);
    assert_eq!(home.stored_token("eu").as_deref(), Some("tok-eu"));
    assert_eq!(home.stored_token("main").as_deref(), Some("tok-main"));
    let server = FakeClickatell::always(Reply::rest_balance("7"));
    let out = home.run(
        &["--base-url", &server.url(), "--account", "eu", "balance"],
        None,
        &[],
    );
    out.expect_code(0);
    assert_eq!(out.stdout, "7 credits (EU)\n");
    assert_eq!(
        server.requests()[0].header("Authorization"),
        Some("Bearer tok-eu")
    );
    home.run(&["--account", "eu", "token", "delete"], None, &[])
        .expect_code(0);
    assert_eq!(home.stored_token("eu"), None);
    assert_eq!(home.stored_token("main").as_deref(), Some("tok-main"));
}

#[test]
fn an_unusable_token_is_refused_and_nothing_is_stored() {
    let home = Sandbox::with_keyring();
    for bad in ["", "two words", &"x".repeat(5000)] {
        let out = home.run(&["token", "set"], Some(bad), &[]);
        out.expect_code(1);
        assert!(out.stderr.contains("Nothing was stored"), "{out:#?}");
    }
    assert_eq!(home.stored_token("main"), None);
}

#[test]
fn without_a_secret_service_the_error_is_clear_and_nothing_is_written() {
    let home = Sandbox::new();
    let out = home.run(&["token", "set"], Some(TOKEN), &[]);
    out.expect_code(1);
    assert_eq!(out.stderr.trim_end().lines().count(), 1, "{out:#?}");
    assert!(
        out.stderr
            .contains("no Secret Service keyring is available"),
        "{out:#?}"
    );
    assert!(out.stderr.contains("CLICKATELL_TOKEN"), "{out:#?}");
    assert!(!out.stdout.contains(TOKEN) && !out.stderr.contains(TOKEN));
    assert!(
        home.files_containing(TOKEN).is_empty(),
        "the token was written to a file"
    );

    let out = home.run(&["token", "status"], None, &[]);
    out.expect_code(1);
    assert!(out.stderr.contains("Secret Service"), "{out:#?}");
}
