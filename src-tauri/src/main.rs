fn main() -> std::process::ExitCode {
    clickatell_balance::run()
}
