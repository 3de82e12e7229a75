//! The `.deb` package, as a user meets it: built by Tauri's bundler (`npm run --prefix src-tauri
//! deb`, which `tests/run.sh` runs first), with the command line and the tray app, a valid
//! desktop entry, the icons, the manual and the shell completions;
//! installed with `dpkg -i` when the tests run as root (as in CI) and removed again afterwards.
//! The headless package (cargo-deb) is checked the same way. The install tests are marked
//! ignored, so a run without root shows them as skipped rather than passed; `tests/run.sh` runs
//! them when it is root.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use support::clickatell::{FakeClickatell, Reply};

/// dpkg takes one package operation at a time, and the two packages replace each other.
static DPKG: Mutex<()> = Mutex::new(());

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The one `.deb` of this version in `folder` (under the workspace) whose file name starts with
/// `name_`; `build` says how to make it when it is missing.
fn one_package(folder: &str, name: &str, build: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let debs: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| {
                    let file = p.file_name().unwrap().to_string_lossy().into_owned();
                    file.starts_with(&format!("{name}_{VERSION}")) && file.ends_with("_amd64.deb")
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        debs.len(),
        1,
        "expected one {name} .deb of version {VERSION} in {}: build it with {build} \
         (tests/run.sh does)",
        dir.display()
    );
    debs.into_iter().next().unwrap()
}

/// The desktop package, built by Tauri's bundler.
fn the_package() -> PathBuf {
    one_package(
        "target/release/bundle/deb",
        "Clickatell Balance",
        "`npm ci --prefix src-tauri && npm run --prefix src-tauri deb`",
    )
}

/// The headless package, built by cargo-deb after the release build.
fn the_headless_package() -> PathBuf {
    one_package(
        "target/debian",
        "clickatell-balance-headless",
        "`cargo deb -p clickatell-balance --no-build`",
    )
}

/// Desktop libraries the command line must not need, as they appear in library and package
/// names (lower case).
const DESKTOP_LIBRARIES: &[&str] = &[
    "gtk",
    "gdk",
    "webkit",
    "javascriptcore",
    "soup",
    "libx11",
    "xcb",
    "ayatana",
    "cairo",
    "glib",
];

fn output(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The installed program answers `--version` and `balance --help` (no display, no bus needed).
fn assert_runs(binary: &Path) {
    let bin = binary.to_str().unwrap();
    assert_eq!(
        output(bin, &["--version"]).trim(),
        format!("clickatell-balance {VERSION}")
    );
    let help = output(bin, &["balance", "--help"]);
    assert!(help.contains("Fetch the balance once"), "{help}");
    assert!(help.contains("--json"), "{help}");
}

/// The commands a program's `--help` lists (but `help`), each as its words after the program,
/// found by asking each one in turn.
fn commands_in_help(binary: &str, path: &[String]) -> Vec<Vec<String>> {
    let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
    args.push("--help");
    let help = output(binary, &args);
    let mut found = Vec::new();
    for line in help
        .lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| l.starts_with("  "))
    {
        let name = line.split_whitespace().next().unwrap().to_owned();
        if name != "help" {
            let mut sub = path.to_vec();
            sub.push(name);
            found.extend(commands_in_help(binary, &sub));
            found.push(sub);
        }
    }
    found
}

/// The long flags a command's `--help` lists, but help and version.
fn flags_in_help(binary: &str, path: &[String]) -> Vec<String> {
    let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
    args.push("--help");
    output(binary, &args)
        .lines()
        .filter(|l| l.trim_start().starts_with('-'))
        .filter_map(|l| l.split_whitespace().find(|w| w.starts_with("--")))
        .map(|w| w.trim_end_matches(',').to_owned())
        .filter(|f| f != "--help" && f != "--version")
        .collect()
}

/// The unpacked package at `root` holds the manual, which `man` shows with every command and
/// flag `--help` lists, and completions for bash (which real bash completes from), zsh and fish.
fn assert_manual_and_completions(root: &Path) {
    let binary = root.join("usr/bin/clickatell-balance");
    let binary = binary.to_str().unwrap();
    let page = root.join("usr/share/man/man1/clickatell-balance.1.gz");
    let shown = Command::new("man")
        .args(["-l", page.to_str().unwrap()])
        .env("MANWIDTH", "400")
        .output()
        .expect("man runs");
    assert!(shown.status.success(), "{shown:?}");
    let shown = String::from_utf8_lossy(&shown.stdout);
    let commands = commands_in_help(binary, &[]);
    assert!(commands.len() >= 8, "{commands:?}");
    for command in std::iter::once(Vec::new()).chain(commands) {
        if !command.is_empty() {
            let heading = format!("clickatell-balance {}", command.join(" "));
            assert!(
                shown.contains(&heading),
                "{heading} not in the manual:\n{shown}"
            );
        }
        for flag in flags_in_help(binary, &command) {
            assert!(
                shown.contains(&flag),
                "{flag} of {command:?} not in the manual"
            );
        }
    }

    let bash = root.join("usr/share/bash-completion/completions/clickatell-balance");
    let complete = |words: &str| {
        let script = format!(
            "source '{}'; f=$(complete -p clickatell-balance | sed -E 's/.*-F ([^ ]+).*/\\1/'); \
             COMP_WORDS=(clickatell-balance {words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); \
             $f clickatell-balance \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; \
             echo \"${{COMPREPLY[*]}}\"",
            bash.display()
        );
        output("bash", &["-c", &script])
    };
    let top = complete("''");
    for command in ["balance", "check", "watch", "token", "proxy"] {
        assert!(
            top.split_whitespace().any(|w| w == command),
            "{command}: {top}"
        );
    }
    assert_eq!(
        complete("token ''")
            .split_whitespace()
            .filter(|w| !w.starts_with('-'))
            .collect::<Vec<_>>(),
        ["set", "delete", "status", "help"]
    );
    assert!(complete("balance --").contains("--json"));
    let zsh =
        std::fs::read_to_string(root.join("usr/share/zsh/vendor-completions/_clickatell-balance"))
            .unwrap();
    assert!(zsh.starts_with("#compdef clickatell-balance"), "{zsh}");
    let fish = std::fs::read_to_string(
        root.join("usr/share/fish/vendor_completions.d/clickatell-balance.fish"),
    )
    .unwrap();
    assert!(fish.contains("complete -c clickatell-balance"), "{fish}");
}

#[test]
fn the_deb_holds_the_binary_a_desktop_entry_and_icons() {
    let deb = the_package();
    let deb = deb.to_str().unwrap();
    let field = |name: &str| output("dpkg-deb", &["-f", deb, name]).trim().to_owned();
    assert_eq!(field("Package"), "clickatell-balance");
    assert_eq!(field("Version"), VERSION);
    assert_eq!(field("Architecture"), "amd64");
    let depends = field("Depends");
    for lib in ["libwebkit2gtk-4.1-0", "libgtk-3-0", "libdbus-1-3"] {
        assert!(
            depends.contains(lib),
            "{lib} missing from Depends: {depends}"
        );
    }
    // Both packages ship the command line: each replaces the other.
    assert!(field("Conflicts").contains("clickatell-balance-headless"));
    assert!(field("Replaces").contains("clickatell-balance-headless"));

    let listing = output("dpkg-deb", &["-c", deb]);
    let mut wanted = vec![
        "usr/bin/clickatell-balance".to_owned(),
        "usr/bin/clickatell-balance-app".to_owned(),
        "usr/share/applications/Clickatell Balance.desktop".to_owned(),
    ];
    for size in ["32x32", "128x128", "256x256", "512x512"] {
        wanted.push(format!(
            "usr/share/icons/hicolor/{size}/apps/clickatell-balance-app.png"
        ));
    }
    for path in &wanted {
        assert!(
            listing.contains(path.as_str()),
            "{path} not in the package:\n{listing}"
        );
    }

    let root = tempfile::tempdir().unwrap();
    let root_dir = root.path().to_str().unwrap();
    output("dpkg-deb", &["-x", deb, root_dir]);
    let entry = root
        .path()
        .join("usr/share/applications/Clickatell Balance.desktop");
    let text = std::fs::read_to_string(&entry).unwrap();
    for line in [
        "Type=Application",
        "Name=Clickatell Balance",
        "Exec=clickatell-balance-app",
        "Icon=clickatell-balance-app",
        "Categories=Utility;",
    ] {
        assert!(text.lines().any(|l| l == line), "{line} not in:\n{text}");
    }
    output("desktop-file-validate", &[entry.to_str().unwrap()]);
    assert_runs(&root.path().join("usr/bin/clickatell-balance"));
    assert_runs(&root.path().join("usr/bin/clickatell-balance-app"));
    assert_manual_and_completions(root.path());
}

/// The names of the shared libraries a binary needs (its dynamic section's NEEDED entries).
fn needed_libraries(binary: &Path) -> Vec<String> {
    output("readelf", &["-d", binary.to_str().unwrap()])
        .lines()
        .filter(|l| l.contains("(NEEDED)"))
        .filter_map(|l| {
            l.split('[')
                .nth(1)
                .map(|s| s.trim_end_matches(']').to_owned())
        })
        .collect()
}

#[test]
fn the_command_line_loads_no_desktop_library() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let release = root.join("target/release/clickatell-balance");
    for binary in [root.join("target/debug/clickatell-balance"), release] {
        let needed = needed_libraries(&binary);
        assert!(
            !needed.is_empty(),
            "{} has no dynamic section?",
            binary.display()
        );
        for library in &needed {
            let l = library.to_lowercase();
            assert!(
                DESKTOP_LIBRARIES.iter().all(|gui| !l.contains(gui)),
                "{} needs {library}: {needed:?}",
                binary.display()
            );
        }
    }
    // The tray app is the one that does.
    let app = needed_libraries(&root.join("target/debug/clickatell-balance-app"));
    assert!(app.iter().any(|l| l.contains("webkit2gtk")), "{app:?}");
}

#[test]
fn the_headless_deb_holds_only_the_command_line_and_needs_no_desktop_library() {
    let deb = the_headless_package();
    let deb = deb.to_str().unwrap();
    let field = |name: &str| output("dpkg-deb", &["-f", deb, name]).trim().to_owned();
    assert_eq!(field("Package"), "clickatell-balance-headless");
    assert!(field("Version").starts_with(VERSION));
    let depends = field("Depends");
    assert!(depends.contains("libc6"), "{depends}");
    for gui in DESKTOP_LIBRARIES {
        assert!(
            !depends.to_lowercase().contains(gui),
            "{gui} in Depends: {depends}"
        );
    }
    assert!(field("Conflicts").contains("clickatell-balance"));
    let listing = output("dpkg-deb", &["-c", deb]);
    assert!(
        listing.contains("./usr/bin/clickatell-balance\n"),
        "{listing}"
    );
    assert!(!listing.contains("clickatell-balance-app"), "{listing}");
    assert!(!listing.contains(".desktop"), "{listing}");
    let root = tempfile::tempdir().unwrap();
    output("dpkg-deb", &["-x", deb, root.path().to_str().unwrap()]);
    assert_runs(&root.path().join("usr/bin/clickatell-balance"));
    assert_manual_and_completions(root.path());
}

fn require_root() {
    assert_eq!(
        output("id", &["-u"]).trim(),
        "0",
        "dpkg -i needs root: run this test as root (tests/run.sh does when it is root)"
    );
}

#[test]
#[ignore = "needs root to install with dpkg -i; tests/run.sh runs it when run as root (as CI does)"]
fn dpkg_installs_the_headless_package_and_its_check_runs() {
    require_root();
    let _dpkg = DPKG.lock().unwrap_or_else(|p| p.into_inner());
    let deb = the_headless_package();
    let server = FakeClickatell::always(Reply::rest_balance("300.50"));
    output("dpkg", &["-i", deb.to_str().unwrap()]);
    let check = Command::new("/usr/bin/clickatell-balance")
        .args(["--base-url", &server.url(), "check", "--warning", "100"])
        .env("CLICKATELL_TOKEN", "tok-HEADLESS-9f8e")
        .env("HOME", tempfile::tempdir().unwrap().path())
        .output()
        .unwrap();
    let removed = Command::new("dpkg")
        .args(["-r", "clickatell-balance-headless"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert_eq!(
        stdout.trim_end(),
        "CLICKATELL OK - balance 300.50 credits | balance=300.50;100:;;;"
    );
    assert!(removed.status.success(), "{removed:?}");
    assert_eq!(server.requests().len(), 1);
}

#[test]
#[ignore = "needs root to install with dpkg -i; tests/run.sh runs it when run as root (as CI does)"]
fn dpkg_installs_the_package_and_the_installed_program_runs() {
    require_root();
    let _dpkg = DPKG.lock().unwrap_or_else(|p| p.into_inner());
    let deb = the_package();
    let was_installed = Command::new("dpkg-query")
        .args(["-W", "clickatell-balance"])
        .output()
        .is_ok_and(|o| o.status.success());
    output("dpkg", &["-i", deb.to_str().unwrap()]);
    let status = output(
        "dpkg-query",
        &["-W", "-f=${Status} ${Version}", "clickatell-balance"],
    );
    assert_eq!(status, format!("install ok installed {VERSION}"));
    assert_runs(Path::new("/usr/bin/clickatell-balance"));
    assert_runs(Path::new("/usr/bin/clickatell-balance-app"));
    if !was_installed {
        output("dpkg", &["-r", "clickatell-balance"]);
    }
}
