fn main() -> std::process::ExitCode {
    clickatell_balance_cli::exit::report(clickatell_balance_cli::run())
}
