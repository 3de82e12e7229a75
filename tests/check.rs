//! End-to-end tests of `clickatell-balance check`, the monitoring-plugin mode.

mod support;

use support::app::Sandbox;
use support::clickatell::{FakeClickatell, Reply};

const TOKEN: &str = "tok_CHECK-0a1b2c3d";

fn check(balance_reply: Reply, args: &[&str]) -> support::app::Outcome {
    let server = FakeClickatell::always(balance_reply);
    let mut full = vec!["check"];
    full.extend_from_slice(args);
    let out = Sandbox::new().run_with_token(&server.url(), TOKEN, &full);
    assert!(!out.stdout.contains(TOKEN) && !out.stderr.contains(TOKEN));
    assert_eq!(out.stdout.lines().count(), 1, "{out:#?}");
    out
}

#[test]
fn thresholds_decide_state_and_exit_code() {
    let levels = ["--warning", "100", "--critical", "50"];
    let table = [
        ("300.50", 0, "CLICKATELL OK - balance 300.50 credits | balance=300.50;100:;50:;;"),
        ("100.00", 0, "CLICKATELL OK - balance 100.00 credits | balance=100.00;100:;50:;;"),
        ("80.00", 1, "CLICKATELL WARNING - balance 80.00 credits is below the warning level 100 | balance=80.00;100:;50:;;"),
        ("49.99", 2, "CLICKATELL CRITICAL - balance 49.99 credits is below the critical level 50 | balance=49.99;100:;50:;;"),
    ];
    for (balance, code, line) in table {
        let out = check(Reply::rest_balance(balance), &levels);
        out.expect_code(code);
        assert_eq!(out.stdout.trim_end(), line);
    }
}

/// The state the reference library of plugin output (Perl `Monitoring::Plugin`, Debian
/// libmonitoring-plugin-perl) gives the performance data of a plugin line: its perfdata parser
/// (`Monitoring::Plugin::Performance`) reads the value and levels; its perfdata pattern (0.40)
/// does not take the `@` of an inside range, so a level with `@` is read by the same
/// library's range parser (`Monitoring::Plugin::Threshold`) from the perfdata's own field.
fn reference_rating(line: &str) -> i32 {
    let script = r#"
use strict;
use Monitoring::Plugin::Performance;
use Monitoring::Plugin::Threshold;
my $line = <STDIN>;
chomp $line;
my (undef, $perfdata) = split /\|/, $line, 2;
$perfdata =~ s/^\s+//;
my @perf = Monitoring::Plugin::Performance->parse_perfstring($perfdata);
die "no performance data in: $line\n" unless @perf;
my (undef, $warning, $critical) = split /;/, (split /=/, $perfdata, 2)[1];
if (grep { defined && /^@/ } $warning, $critical) {
    my %levels;
    $levels{warning} = $warning if length $warning;
    $levels{critical} = $critical if length $critical;
    print Monitoring::Plugin::Threshold->set_thresholds(%levels)->get_status($perf[0]->value);
} else {
    print $perf[0]->threshold->get_status($perf[0]->value);
}
"#;
    let mut perl = std::process::Command::new("perl")
        .args(["-e", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("perl");
    use std::io::Write;
    perl.stdin
        .take()
        .unwrap()
        .write_all(line.as_bytes())
        .unwrap();
    let out = perl.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "Monitoring::Plugin::Performance (Debian package libmonitoring-plugin-perl) failed on \
         {line:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn the_reference_plugin_library_rates_the_performance_data_as_the_exit_code() {
    // (balance, levels, expected exit code): plain amounts mean "below"; ranges as written.
    let table: [(&str, &[&str], i32); 12] = [
        ("300.50", &["--warning", "400", "--critical", "100"], 1),
        ("300.50", &["--warning", "200", "--critical", "100"], 0),
        ("99.99", &["--warning", "200", "--critical", "100"], 2),
        ("100", &["--warning", "200", "--critical", "100"], 1),
        ("300.50", &["--warning", "400:", "--critical", "100:"], 1),
        ("300.50", &["--warning", "~:400"], 0),
        ("500", &["--warning", "~:400"], 1),
        ("15", &["--warning", "@10:20"], 1),
        ("25", &["--warning", "@10:20"], 0),
        ("5", &["--warning", "10:20"], 1),
        ("15", &["--warning", "10:20", "--critical", "~:12"], 2),
        ("300.50", &[], 0),
    ];
    for (balance, levels, code) in table {
        let out = check(Reply::rest_balance(balance), levels);
        out.expect_code(code);
        assert_eq!(
            reference_rating(out.stdout.trim_end()),
            code,
            "{balance} with {levels:?}: {}",
            out.stdout
        );
    }
}

#[test]
fn an_unreadable_range_is_unknown_with_the_reason() {
    let server = FakeClickatell::always(Reply::rest_balance("10"));
    let out = Sandbox::new().run_with_token(&server.url(), TOKEN, &["check", "--warning", "20:10"]);
    out.expect_code(3);
    assert!(out.stderr.contains("lower bound first"), "{out:#?}");
    assert!(server.requests().is_empty());
}

#[test]
fn failures_are_unknown_with_the_reason() {
    let out = check(Reply::rest_error(401, "001", "Authentication failed"), &[]);
    out.expect_code(3);
    assert!(
        out.stdout
            .starts_with("CLICKATELL UNKNOWN - Clickatell rejected the API token"),
        "{out:#?}"
    );
    let out = check(Reply::json(200, "garbage"), &[]);
    out.expect_code(3);
    assert!(out.stdout.starts_with("CLICKATELL UNKNOWN - "));
}

#[test]
fn critical_above_warning_is_refused() {
    let out = check(
        Reply::rest_balance("10"),
        &["--warning", "50", "--critical", "100"],
    );
    out.expect_code(3);
    assert!(
        out.stdout.contains("must not be above the warning level"),
        "{out:#?}"
    );
}

#[test]
fn levels_come_from_settings_unless_flags_are_given() {
    let server = FakeClickatell::always(Reply::rest_balance("300"));
    let home = Sandbox::new();
    home.write_settings(r#"{"warning_level":"500","critical_level":"250"}"#);
    let out = home.run_with_token(&server.url(), TOKEN, &["check"]);
    out.expect_code(1);
    assert!(
        out.stdout.ends_with("| balance=300;500:;250:;;\n"),
        "{out:#?}"
    );
    let out = home.run_with_token(
        &server.url(),
        TOKEN,
        &["check", "--warning", "200", "--critical", "100"],
    );
    out.expect_code(0);
    let out = home.run_with_token(&server.url(), TOKEN, &["check", "--critical", "400"]);
    out.expect_code(2);
}

#[test]
fn no_token_is_unknown() {
    let out = Sandbox::new().run(&["check"], None, &[]);
    out.expect_code(3);
    assert!(out.stdout.starts_with("CLICKATELL UNKNOWN - "), "{out:#?}");
}

#[test]
fn bad_arguments_are_unknown_for_monitoring_systems() {
    let home = Sandbox::new();
    let out = home.run(&["check", "--warning", "lots"], None, &[]);
    out.expect_code(3);
    assert!(out.stderr.contains("\"lots\" is not a number"), "{out:#?}");
    home.run(&["balance", "--bogus"], None, &[]).expect_code(2);
    let out = home.run(&["--version"], None, &[]);
    out.expect_code(0);
    assert!(out.stdout.starts_with("clickatell-balance "), "{out:#?}");
    home.run(&["check", "--help"], None, &[]).expect_code(0);
}

#[test]
fn every_command_explains_itself_with_help() {
    let home = Sandbox::new();
    let commands: [&[&str]; 8] = [
        &[],
        &["balance"],
        &["check"],
        &["watch"],
        &["token"],
        &["token", "set"],
        &["token", "delete"],
        &["token", "status"],
    ];
    for command in commands {
        let mut args = command.to_vec();
        args.push("--help");
        let out = home.run(&args, None, &[]);
        out.expect_code(0);
        let usage = format!("Usage: clickatell-balance {}", command.join(" "));
        assert!(out.stdout.contains(usage.trim_end()), "{args:?}: {out:#?}");
        assert!(
            out.stdout.lines().next().is_some_and(|l| l.len() > 10),
            "{args:?}: no description"
        );
    }
}

/// A Nagios 4 core (Debian nagios4-core) in a directory of its own, with one service that runs
/// `check` against `server` every few seconds; returns the service's status fields once it has
/// been checked.
fn nagios_service_status(
    server: &FakeClickatell,
    levels: &str,
) -> std::collections::HashMap<String, String> {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().display();
    let user = String::from_utf8(
        std::process::Command::new("id")
            .arg("-un")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("checkresults")).unwrap();
    std::fs::write(
        dir.path().join("nagios.cfg"),
        format!(
            "log_file={d}/nagios.log\ncfg_file={d}/objects.cfg\nstatus_file={d}/status.dat\n\
             status_update_interval=1\nobject_cache_file={d}/objects.cache\n\
             precached_object_file={d}/objects.precache\ntemp_file={d}/nagios.tmp\n\
             temp_path={d}\nlock_file={d}/nagios.lock\nretain_state_information=0\n\
             check_result_path={d}/checkresults\ncheck_result_reaper_frequency=1\n\
             nagios_user={user}\nnagios_group={user}\ncheck_external_commands=0\n\
             interval_length=1\nenable_notifications=0\nmax_service_check_spread=1\n\
             max_host_check_spread=1\nservice_inter_check_delay_method=n\n\
             host_inter_check_delay_method=n\nillegal_macro_output_chars=`~$&|'\"<>\n",
            user = user.trim()
        ),
    )
    .unwrap();
    let always = "sunday 00:00-24:00\n monday 00:00-24:00\n tuesday 00:00-24:00\n \
                  wednesday 00:00-24:00\n thursday 00:00-24:00\n friday 00:00-24:00\n \
                  saturday 00:00-24:00";
    let contact = "max_check_attempts 1\n check_period always\n notification_period always\n \
                   notification_interval 0\n contacts nobody";
    std::fs::write(
        dir.path().join("objects.cfg"),
        format!(
            "define timeperiod {{\n timeperiod_name always\n alias always\n {always}\n}}\n\
             define command {{\n command_name nothing\n command_line /bin/true\n}}\n\
             define command {{\n command_name check_clickatell\n command_line /usr/bin/env \
             HOME={d} XDG_CONFIG_HOME={d} CLICKATELL_TOKEN={TOKEN} {bin} --base-url {url} \
             check {levels}\n}}\n\
             define contact {{\n contact_name nobody\n service_notification_period always\n \
             host_notification_period always\n service_notification_options n\n \
             host_notification_options n\n service_notification_commands nothing\n \
             host_notification_commands nothing\n}}\n\
             define host {{\n host_name local\n address 127.0.0.1\n {contact}\n}}\n\
             define service {{\n host_name local\n service_description clickatell\n \
             check_command check_clickatell\n check_interval 5\n retry_interval 5\n {contact}\n}}\n",
            bin = support::app::binary().display(),
            url = server.url(),
        ),
    )
    .unwrap();
    let mut nagios = std::process::Command::new("nagios4")
        .arg(dir.path().join("nagios.cfg"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("nagios4 (Debian package nagios4-core) must be installed");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let status = loop {
        let text = std::fs::read_to_string(dir.path().join("status.dat")).unwrap_or_default();
        let service: std::collections::HashMap<String, String> = text
            .split("servicestatus {")
            .nth(1)
            .unwrap_or_default()
            .lines()
            .take_while(|l| !l.trim().starts_with('}'))
            .filter_map(|l| l.trim().split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        if service.get("has_been_checked").is_some_and(|v| v == "1") {
            break service;
        }
        if std::time::Instant::now() > deadline {
            let _ = nagios.kill();
            panic!(
                "Nagios never checked the service: {}",
                std::fs::read_to_string(dir.path().join("nagios.log")).unwrap_or_default()
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    let _ = nagios.kill();
    let _ = nagios.wait();
    status
}

#[test]
fn a_nagios_core_reports_the_state_and_the_performance_data() {
    let server = FakeClickatell::always(Reply::rest_balance("300.50"));
    let status = nagios_service_status(&server, "--warning 400 --critical 100");
    assert_eq!(status["current_state"], "1", "{status:#?}");
    assert_eq!(
        status["plugin_output"],
        "CLICKATELL WARNING - balance 300.50 credits is below the warning level 400"
    );
    assert_eq!(status["performance_data"], "balance=300.50;400:;100:;;");
    assert_eq!(
        reference_rating(&format!("x | {}", status["performance_data"])),
        1,
        "the performance data Nagios stored rates as the state it shows"
    );
}

#[test]
fn without_the_tray_app_installed_the_command_line_says_what_to_do() {
    // The command line alone, as on a server with only the headless package.
    let dir = tempfile::tempdir().unwrap();
    let alone = dir.path().join("clickatell-balance");
    std::fs::hard_link(support::app::binary(), &alone)
        .or_else(|_| std::fs::copy(support::app::binary(), &alone).map(|_| ()))
        .unwrap();
    let home = Sandbox::new();
    let run = |args: &[&str]| -> support::app::Outcome {
        home.command(&alone)
            .args(args)
            .env("PATH", "/usr/bin:/bin")
            .output()
            .unwrap()
            .into()
    };
    let out = run(&[]);
    out.expect_code(1);
    assert!(
        out.stderr.contains("the tray app is not installed")
            && out.stderr.contains("clickatell-balance --help"),
        "{out:#?}"
    );
    run(&["--version"]).expect_code(0);
    let server = FakeClickatell::always(Reply::rest_balance("12.00"));
    let out = run(&["--base-url", &server.url(), "balance"]);
    // No keyring here: the command itself ran, without the app, and said what to do.
    out.expect_code(1);
    assert!(out.stderr.contains("--token-file"), "{out:#?}");
}
