//! The async runtime of a command-line run: one thread, for a few requests or one `watch`.
//! The tray app sizes its own (see the desktop's `ASYNC_WORKERS`).

/// A single-threaded runtime with timers and I/O.
pub fn current_thread() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
}
