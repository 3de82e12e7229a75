//! End-to-end tests of the log: a daily file in the OS log folder plus stderr, `RUST_LOG`
//! respected, and the token in neither even at the most verbose level.

mod support;

use std::path::PathBuf;
use support::app::Sandbox;
use support::clickatell::{FakeClickatell, Reply};

const TOKEN: &str = "tok_LOG-4b3c2d1e0f";

#[test]
fn each_run_is_logged_to_a_daily_file_while_stderr_stays_quiet() {
    let server = FakeClickatell::always(Reply::rest_balance("300.50"));
    let home = Sandbox::new();
    let out = home.run_with_token(&server.url(), TOKEN, &["balance"]);
    out.expect_code(0);
    assert_eq!(out.stderr, "", "stderr should stay quiet by default");
    let files = home.log_files();
    assert_eq!(files.len(), 1, "{files:?}");
    let name = files[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("clickatell-balance.") && name.ends_with(".log"),
        "{name}"
    );
    let text = home.log_text();
    assert!(
        text.contains("INFO") && text.contains("command=\"balance\""),
        "{text}"
    );
    assert!(
        !text.contains("DEBUG"),
        "info is the file's default level: {text}"
    );
}

#[test]
fn rust_log_raises_both_outputs_and_the_token_appears_in_neither() {
    let server = FakeClickatell::scripted(vec![
        Reply::rest_balance("300.50"),
        Reply::rest_error(401, "001", "Authentication failed"),
    ]);
    let home = Sandbox::new();
    let env = [("CLICKATELL_TOKEN", TOKEN), ("RUST_LOG", "trace")];
    let url = server.url();
    for _ in 0..2 {
        let out = home.run(&["--base-url", &url, "balance"], None, &env);
        assert!(out.stderr.contains("TRACE"), "{out:#?}");
        assert!(!out.stderr.contains(TOKEN), "token on stderr: {out:#?}");
        assert!(!out.stdout.contains(TOKEN), "token on stdout: {out:#?}");
    }
    let text = home.log_text();
    assert!(
        text.contains("TRACE") && text.contains("DEBUG"),
        "RUST_LOG should reach the file too: {text}"
    );
    assert!(!text.contains(TOKEN), "token in the log file");
    assert_eq!(home.files_containing(TOKEN), Vec::<PathBuf>::new());
}

#[test]
fn an_unwritable_log_folder_is_reported_and_the_command_still_works() {
    let server = FakeClickatell::always(Reply::rest_balance("300.50"));
    let home = Sandbox::new();
    let blocker = home.home().join("not-a-folder");
    std::fs::write(&blocker, "a file where the log folder would go").unwrap();
    let out = home.run(
        &["--base-url", &server.url(), "balance"],
        None,
        &[
            ("CLICKATELL_TOKEN", TOKEN),
            ("XDG_STATE_HOME", blocker.to_str().unwrap()),
        ],
    );
    out.expect_code(0);
    assert_eq!(out.stdout, "300.50 credits\n");
    assert!(
        out.stderr.contains("cannot write a log file in")
            && out.stderr.contains("logging to stderr only"),
        "{out:#?}"
    );
}
