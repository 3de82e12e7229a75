fn main() -> std::process::ExitCode {
    clickatell_balance_cli::run_app(clickatell_balance_app::desktop::run)
}
