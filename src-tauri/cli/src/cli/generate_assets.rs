//! The man page and the shell completions, generated from the clap definition by the packaging
//! scripts (the hidden `generate-assets DIR` command, as ripgrep's `--generate` does), so
//! they never drift from `--help`. One page holds every command and flag: clap_mangen renders
//! the program's own sections and would point at a page per command for the rest, so the
//! commands' sections are written here with its `roff`.

use super::{failed, Cli};
use crate::exit::{CliError, Outcome};
use clap::CommandFactory;
use clap_complete::Shell;
use clap_mangen::roff::{bold, italic, roman, Inline, Roff};
use std::path::{Path, PathBuf};

/// The hidden command's name: `clickatell-balance generate-assets DIR`.
pub const COMMAND: &str = "generate-assets";

/// The program's name, as the man page, the completions and the packages call it.
const PROGRAM: &str = "clickatell-balance";

/// Each file this writes, by the name the packages install it under.
pub const MAN_PAGE: &str = "clickatell-balance.1";
pub const BASH: &str = "clickatell-balance.bash";
pub const ZSH: &str = "_clickatell-balance";
pub const FISH: &str = "clickatell-balance.fish";

/// Writes the files into `dir`, saying each one written.
pub fn run(dir: &Path) -> Result<Outcome, CliError> {
    let written =
        write(dir).map_err(|e| failed(format!("Could not write into {}: {e}.", dir.display())))?;
    for path in written {
        println!("{}", path.display());
    }
    Ok(Outcome::Done)
}

/// Writes the man page and the bash, zsh and fish completions into `dir` (made if missing)
/// and returns their paths.
fn write(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    let mut put = |name: &str, content: Vec<u8>| {
        let path = dir.join(name);
        std::fs::write(&path, content)?;
        written.push(path);
        Ok::<_, std::io::Error>(())
    };
    put(MAN_PAGE, man_page()?)?;
    put(BASH, bash_completion().into_bytes())?;
    for (shell, name) in [(Shell::Zsh, ZSH), (Shell::Fish, FISH)] {
        let mut out = Vec::new();
        clap_complete::generate(shell, &mut Cli::command(), PROGRAM, &mut out);
        put(name, out)?;
    }
    Ok(written)
}

/// The bash completion. clap_complete 4.6 spells a hyphenated program's states two ways, so
/// nothing past the first word completes (clap-rs/clap#6421, unreleased fix): it is generated
/// for the name without the hyphen, and its `complete` lines register the real name.
fn bash_completion() -> String {
    let unhyphenated = PROGRAM.replace('-', "_");
    let mut out = Vec::new();
    clap_complete::generate(Shell::Bash, &mut Cli::command(), &unhyphenated, &mut out);
    String::from_utf8_lossy(&out)
        .lines()
        .map(|line| match line.trim_start().starts_with("complete ") {
            true => match line.strip_suffix(unhyphenated.as_str()) {
                Some(head) => format!("{head}{PROGRAM}\n"),
                None => format!("{line}\n"),
            },
            false => format!("{line}\n"),
        })
        .collect()
}

/// The whole manual in one page: the program's synopsis, description and global options from
/// clap_mangen, then a COMMANDS section with each command's own synopsis and flags.
fn man_page() -> std::io::Result<Vec<u8>> {
    let mut command = Cli::command()
        .bin_name(PROGRAM)
        .disable_help_subcommand(true);
    command.build();
    let man = clap_mangen::Man::new(command.clone());
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    let mut roff = Roff::new();
    roff.control("SH", ["COMMANDS"]);
    for sub in visible(&command) {
        commands(&mut roff, sub);
    }
    roff.to_writer(&mut out)?;
    man.render_version_section(&mut out)?;
    Ok(out)
}

fn visible(command: &clap::Command) -> impl Iterator<Item = &clap::Command> {
    command.get_subcommands().filter(|c| !c.is_hide_set())
}

/// A command's subsection (its usage line, what it does, its own flags), then its commands'.
fn commands(roff: &mut Roff, command: &clap::Command) {
    let name = command.get_bin_name().unwrap_or_else(|| command.get_name());
    let own: Vec<&clap::Arg> = command
        .get_arguments()
        .filter(|a| !a.is_hide_set() && !a.is_global_set() && a.get_id() != "help")
        .collect();
    let mut usage = vec![bold(name)];
    for arg in &own {
        usage.push(roman(" ["));
        usage.extend(flag(arg));
        usage.push(roman("]"));
    }
    if command.has_subcommands() {
        usage.push(roman(" "));
        usage.push(italic("COMMAND"));
    }
    roff.control("SS", [name]);
    roff.text(usage);
    if let Some(about) = command.get_long_about().or_else(|| command.get_about()) {
        roff.control("PP", []);
        roff.text([roman(about.to_string())]);
    }
    for arg in own {
        roff.control("TP", []);
        roff.text(flag(arg));
        if let Some(help) = arg.get_long_help().or_else(|| arg.get_help()) {
            roff.text([roman(help.to_string())]);
        }
    }
    for sub in visible(command) {
        commands(roff, sub);
    }
}

/// How a flag is written: `-v`, `--verbose`, and its value's name (`--warning AMOUNT|RANGE`).
fn flag(arg: &clap::Arg) -> Vec<Inline> {
    let mut names = Vec::new();
    if let Some(short) = arg.get_short() {
        names.push(format!("-{short}"));
    }
    if let Some(long) = arg.get_long() {
        names.push(format!("--{long}"));
    }
    let mut inlines = vec![bold(names.join(", "))];
    if arg.get_action().takes_values() {
        for value in arg.get_value_names().unwrap_or_default() {
            inlines.push(roman(" "));
            inlines.push(italic(value.to_string()));
        }
    }
    inlines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_completions_offer_every_command_but_the_packaging_one() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path()).unwrap();
        for name in [BASH, ZSH, FISH] {
            let text = std::fs::read_to_string(dir.path().join(name)).unwrap();
            for command in [
                "balance",
                "check",
                "watch",
                "token",
                "proxy",
                "set-password",
            ] {
                assert!(text.contains(command), "{name} lacks {command}");
            }
            assert!(!text.contains(COMMAND), "{name} offers {COMMAND}");
        }
    }

    /// As roff writes text: a dash escaped.
    fn roff(text: &str) -> String {
        text.replace('-', "\\-")
    }

    #[test]
    fn the_man_page_holds_every_command_and_flag() {
        let page = String::from_utf8(man_page().unwrap()).unwrap();
        let mut command = Cli::command()
            .bin_name(PROGRAM)
            .disable_help_subcommand(true);
        command.build();
        let mut all = vec![&command];
        let mut i = 0;
        while i < all.len() {
            all.extend(visible(all[i]));
            i += 1;
        }
        assert!(all.len() > 8, "{} commands", all.len());
        for command in all {
            let name = command.get_bin_name().unwrap();
            if name != PROGRAM {
                let heading = format!(".SS \"{name}\"");
                assert!(page.contains(&heading), "{name} has no section");
            }
            for arg in command.get_arguments().filter(|a| !a.is_hide_set()) {
                if let Some(long) = arg.get_long() {
                    let flag = roff(&format!("--{long}"));
                    assert!(page.contains(&flag), "--{long} of {name} is missing");
                }
            }
        }
        assert!(
            !page.contains(&roff(COMMAND)),
            "the packaging command is listed"
        );
    }
}
