fn main() -> std::process::ExitCode {
    use clickatell_balance_app::desktop::{run, window_process};
    // Started by the tray app to show its window: a process of its own (see window_host).
    if let Some(window) = window_process::from_args() {
        return window_process::run(window);
    }
    clickatell_balance_cli::exit::report(clickatell_balance_cli::run_app(run))
}
