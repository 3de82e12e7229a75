fn main() -> std::process::ExitCode {
    clickatell_balance_cli::run()
}
