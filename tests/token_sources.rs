//! Tokens for services, end to end: a token file only its owner can read (flag and variable),
//! a systemd credential, the documented order of sources, and the README's hardened systemd
//! unit checked by `systemd-analyze verify`.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use support::app::{Outcome, Sandbox};
use support::clickatell::{FakeClickatell, Reply};

fn token_file(dir: &Path, name: &str, token: &str, mode: u32) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("{token}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    path
}

/// The token the server was asked with, for a `balance` run.
fn token_used(home: &Sandbox, args: &[&str], env: &[(&str, &str)]) -> (Outcome, Option<String>) {
    let server = FakeClickatell::always(Reply::rest_balance("300.50"));
    let mut full = vec!["--base-url".to_owned(), server.url()];
    full.extend(args.iter().map(|a| a.to_string()));
    full.push("balance".into());
    let full: Vec<&str> = full.iter().map(String::as_str).collect();
    let out = home.run(&full, None, env);
    let seen = server.requests().first().and_then(|r| {
        r.header("Authorization")
            .map(|h| h.trim_start_matches("Bearer ").to_owned())
    });
    (out, seen)
}

#[test]
fn a_token_file_readable_by_its_owner_is_used_from_the_flag_or_the_variable() {
    let home = Sandbox::new();
    let file = token_file(home.home(), "token", "tok-FILE-1a2b", 0o600);
    let path = file.to_str().unwrap();
    let (out, seen) = token_used(&home, &["--token-file", path], &[]);
    out.expect_code(0);
    assert_eq!(seen.as_deref(), Some("tok-FILE-1a2b"));
    let (out, seen) = token_used(&home, &[], &[("CLICKATELL_TOKEN_FILE", path)]);
    out.expect_code(0);
    assert_eq!(seen.as_deref(), Some("tok-FILE-1a2b"));
    let status = home.run(&["--token-file", path, "token", "status"], None, &[]);
    status.expect_code(0);
    assert!(status.stdout.contains("read from"), "{status:#?}");
    assert!(!status.stdout.contains("tok-FILE-1a2b"));
}

#[test]
fn a_token_file_others_can_read_is_refused_and_nothing_is_fetched() {
    let home = Sandbox::new();
    for mode in [0o644, 0o640] {
        let file = token_file(home.home(), "token", "tok-OPEN-3c4d", mode);
        let (out, seen) = token_used(&home, &["--token-file", file.to_str().unwrap()], &[]);
        out.expect_code(1);
        assert_eq!(seen, None, "a request was made with an exposed token file");
        assert!(
            out.stderr.contains("can be read by other users")
                && out
                    .stderr
                    .contains(&format!("chmod 600 {}", file.display())),
            "{out:#?}"
        );
        assert!(!out.stderr.contains("tok-OPEN-3c4d") && !out.stdout.contains("tok-OPEN-3c4d"));
    }
}

#[test]
fn a_systemd_credential_is_used() {
    let home = Sandbox::new();
    let creds = home.home().join("credentials");
    std::fs::create_dir(&creds).unwrap();
    token_file(&creds, "clickatell-token", "tok-CRED-5e6f", 0o400);
    let dir = creds.to_str().unwrap();
    let (out, seen) = token_used(&home, &[], &[("CREDENTIALS_DIRECTORY", dir)]);
    out.expect_code(0);
    assert_eq!(seen.as_deref(), Some("tok-CRED-5e6f"));
    let status = home.run(
        &["token", "status"],
        None,
        &[("CREDENTIALS_DIRECTORY", dir)],
    );
    assert!(status.stdout.contains("systemd credential"), "{status:#?}");
}

#[test]
fn the_sources_are_taken_in_the_documented_order() {
    let home = Sandbox::with_keyring();
    home.run(&["token", "set"], Some("tok-KEYRING"), &[])
        .expect_code(0);
    let creds = home.home().join("credentials");
    std::fs::create_dir(&creds).unwrap();
    token_file(&creds, "clickatell-token", "tok-CREDENTIAL", 0o400);
    let flag = token_file(home.home(), "flag", "tok-FLAG", 0o600);
    let env_file = token_file(home.home(), "env-file", "tok-ENV-FILE", 0o600);
    let (flag, env_file, creds) = (
        flag.to_str().unwrap(),
        env_file.to_str().unwrap(),
        creds.to_str().unwrap(),
    );
    // (flag, file variable, token variable, credentials) → the token used.
    let table: [(bool, bool, bool, bool, &str); 5] = [
        (true, true, true, true, "tok-FLAG"),
        (false, true, true, true, "tok-ENV-FILE"),
        (false, false, true, true, "tok-ENV"),
        (false, false, false, true, "tok-CREDENTIAL"),
        (false, false, false, false, "tok-KEYRING"),
    ];
    for (with_flag, with_file_env, with_env, with_creds, want) in table {
        let args: Vec<&str> = if with_flag {
            vec!["--token-file", flag]
        } else {
            vec![]
        };
        let mut env = Vec::new();
        if with_file_env {
            env.push(("CLICKATELL_TOKEN_FILE", env_file));
        }
        if with_env {
            env.push(("CLICKATELL_TOKEN", "tok-ENV"));
        }
        if with_creds {
            env.push(("CREDENTIALS_DIRECTORY", creds));
        }
        let (out, seen) = token_used(&home, &args, &env);
        out.expect_code(0);
        assert_eq!(seen.as_deref(), Some(want), "{args:?} {env:?}");
    }
}

#[test]
fn the_readmes_hardened_systemd_unit_verifies() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme
        .find("# /etc/systemd/system/clickatell-balance.service\n")
        .expect("the README's system unit");
    let unit = &readme[start..];
    let unit = &unit[..unit.find("```").unwrap()];
    for directive in [
        "LoadCredential=clickatell-token:",
        "DynamicUser=yes",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
    ] {
        assert!(
            unit.contains(directive),
            "{directive} missing from the unit"
        );
    }
    // systemd-analyze checks that ExecStart exists: the binary under test stands in for the
    // packaged /usr/bin/clickatell-balance.
    let unit = unit.replace(
        "/usr/bin/clickatell-balance",
        support::app::binary().to_str().unwrap(),
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clickatell-balance.service");
    std::fs::write(&path, unit).unwrap();
    let out = std::process::Command::new("systemd-analyze")
        .args(["verify", "--man=no"])
        .arg(&path)
        .output()
        .expect("systemd-analyze (Debian package systemd)");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let about_the_unit: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("clickatell-balance.service"))
        .collect();
    assert!(
        out.status.success() && about_the_unit.is_empty(),
        "systemd-analyze verify: {stderr}"
    );
}
