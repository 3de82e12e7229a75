//! "Top up": the page where credit is bought, in the user's browser, through the platform's
//! opener (xdg-open, open, the Windows shell's URL handler), never a shell command line.

/// Opens `url` in the default browser; a failure is logged, since the user chose a menu item
/// or a notification's button and nothing else can be done about it.
pub fn open_in_browser(url: &str) {
    match open::that_detached(url) {
        Ok(()) => tracing::info!(url, "top-up page opened"),
        Err(e) => tracing::warn!(url, error = %e, "could not open the top-up page"),
    }
}
