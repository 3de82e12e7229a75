//! The tray process's side of the window. The window runs in a process of its own, started on
//! demand and ended when it closes, so WebKit and everything it touched are given back whole;
//! the tray process never creates a webview. This side listens on a socket private to the
//! user, lets only the window process it started connect, serves its commands and pushes
//! events to it; asked to open the window while one runs, it shows that one.

use super::commands;
use super::contract::View;
use super::link::{self, Request, ToWindow, WINDOW_ARG};
use super::state::AppState;
use parking_lot::Mutex;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tauri::{AppHandle, Manager, Runtime};
use tokio::io::BufReader;
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::mpsc;

/// Shows the window at `view`, starting the window process if none runs; `hint` is shown
/// above the content (e.g. that there is no tray on this desktop). The demo account's window
/// always says so.
pub fn open<R: Runtime>(app: &AppHandle<R>, view: View, hint: Option<&str>) {
    let demo = app
        .try_state::<AppState>()
        .is_some_and(|s| s.context.is_demo());
    let hint = hint.or(demo.then_some("demo"));
    match app.try_state::<WindowHost>() {
        Some(host) => host.open(view, hint),
        None => tracing::error!("no window host: the window cannot open"),
    }
}

/// Sends an event to the window's UI, if a window is open.
pub fn emit<R: Runtime>(app: &AppHandle<R>, event: &str, payload: impl serde::Serialize) {
    if let Some(host) = app.try_state::<WindowHost>() {
        host.emit(event, payload);
    }
}

/// The window process, as far as the tray process knows it.
#[derive(Default)]
struct Window {
    /// Its pid, from its start until it exits.
    pid: Option<u32>,
    /// The way to it, once it has connected.
    link: Option<mpsc::UnboundedSender<ToWindow>>,
}

/// Starts, finds and talks to the window process.
pub struct WindowHost {
    socket: PathBuf,
    window: Arc<Mutex<Window>>,
}

impl WindowHost {
    /// Listens on a new socket in the user's runtime directory and serves the window
    /// processes this host starts.
    pub fn start<R: Runtime>(app: &AppHandle<R>) -> std::io::Result<Self> {
        let dir = private_dir()?;
        let socket = dir.join(format!("window-{}.sock", std::process::id()));
        let _ = std::fs::remove_file(&socket);
        let listener = std::os::unix::net::UnixListener::bind(&socket)?;
        std::fs::set_permissions(&socket, std::fs::Permissions::from_mode(0o600))?;
        listener.set_nonblocking(true)?;
        let owner = std::fs::metadata(&socket)?.uid();
        let window = Arc::<Mutex<Window>>::default();
        let (state, app) = (window.clone(), app.clone());
        tauri::async_runtime::spawn(async move {
            match UnixListener::from_std(listener) {
                Ok(listener) => accept(listener, owner, state, app).await,
                Err(e) => tracing::error!(error = %e, "window link: cannot listen"),
            }
        });
        Ok(Self { socket, window })
    }

    /// Shows the window at `view`: the running one if there is one, else a new window process
    /// (with `hint` shown above its content).
    pub fn open(&self, view: View, hint: Option<&str>) {
        let mut window = self.window.lock();
        if let Some(link) = &window.link {
            let _ = link.send(ToWindow::Show { view });
            return;
        }
        if window.pid.is_some() {
            return; // starting: it opens by itself
        }
        let spawned = std::env::current_exe().and_then(|exe| {
            let mut command = std::process::Command::new(exe);
            command
                .arg(WINDOW_ARG)
                .arg(&self.socket)
                .args(["--view", view.fragment()]);
            if let Some(hint) = hint {
                command.args(["--hint", hint]);
            }
            command.spawn()
        });
        let mut child = match spawned {
            Ok(child) => child,
            Err(e) => {
                tracing::error!(error = %e, "could not start the window process");
                return;
            }
        };
        let pid = child.id();
        window.pid = Some(pid);
        let state = self.window.clone();
        std::thread::spawn(move || {
            let status = child.wait();
            tracing::debug!(?status, pid, "window process ended");
            let mut window = state.lock();
            if window.pid == Some(pid) {
                *window = Window::default();
            }
        });
    }

    /// Sends an event to the window's UI, if a window is open.
    pub fn emit(&self, event: &str, payload: impl serde::Serialize) {
        if let Some(link) = &self.window.lock().link {
            let _ = link.send(ToWindow::Event {
                event: event.into(),
                payload: serde_json::to_value(payload).unwrap_or_default(),
            });
        }
    }

    /// Removes the socket; for the app's exit.
    pub fn close(&self) {
        let _ = std::fs::remove_file(&self.socket);
    }
}

/// `$XDG_RUNTIME_DIR/clickatell-balance` (or one in the temporary directory), made private to
/// this user: refused if someone else owns it or others may enter it.
fn private_dir() -> std::io::Result<PathBuf> {
    let base = std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .unwrap_or_else(std::env::temp_dir);
    let dir = base.join("clickatell-balance");
    match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    check_private(&dir)?;
    Ok(dir)
}

fn check_private(dir: &Path) -> std::io::Result<()> {
    let meta = std::fs::symlink_metadata(dir)?;
    let mine = std::fs::metadata("/proc/self").map(|m| m.uid()).ok();
    let private =
        meta.is_dir() && meta.mode() & 0o077 == 0 && mine.is_none_or(|uid| uid == meta.uid());
    if private {
        Ok(())
    } else {
        Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            format!(
                "{} is not private to this user; remove it and start the app again",
                dir.display()
            ),
        ))
    }
}

/// Accepts connections: only from the window process this host started, as this user.
async fn accept<R: Runtime>(
    listener: UnixListener,
    owner: u32,
    window: Arc<Mutex<Window>>,
    app: AppHandle<R>,
) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                tracing::warn!(error = %e, "window link: accept failed");
                continue;
            }
        };
        let peer = stream.peer_cred().ok();
        let expected = window.lock().pid;
        let trusted = peer.is_some_and(|p| {
            p.uid() == owner && p.pid().and_then(|pid| u32::try_from(pid).ok()) == expected
        });
        if !trusted {
            tracing::warn!(
                ?peer,
                "window link: refused a connection from another process"
            );
            continue;
        }
        tauri::async_runtime::spawn(serve_window(stream, window.clone(), app.clone()));
    }
}

/// Serves one window process until it disconnects.
async fn serve_window<R: Runtime>(
    stream: UnixStream,
    window: Arc<Mutex<Window>>,
    app: AppHandle<R>,
) {
    let (reader, writer) = stream.into_split();
    let (to_window, outgoing) = mpsc::unbounded_channel::<ToWindow>();
    window.lock().link = Some(to_window.clone());
    serve(reader, writer, to_window, outgoing, app).await;
    window.lock().link = None;
}

/// Answers the commands arriving on `reader` and writes the answers, and whatever else is
/// sent on `to_window`, to `writer`; returns when the link closes or breaks.
pub async fn serve<R, Rd, Wr>(
    reader: Rd,
    mut writer: Wr,
    to_window: mpsc::UnboundedSender<ToWindow>,
    mut outgoing: mpsc::UnboundedReceiver<ToWindow>,
    app: AppHandle<R>,
) where
    R: Runtime,
    Rd: tokio::io::AsyncRead + Unpin,
    Wr: tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    tauri::async_runtime::spawn(async move {
        while let Some(message) = outgoing.recv().await {
            if link::write(&mut writer, &message).await.is_err() {
                return;
            }
        }
    });
    let mut reader = BufReader::new(reader);
    loop {
        match link::read::<Request, _>(&mut reader).await {
            Ok(Some(request)) => {
                let (app, to_window) = (app.clone(), to_window.clone());
                tauri::async_runtime::spawn(async move {
                    let result = commands::dispatch(&app, request.call).await;
                    let _ = to_window.send(ToWindow::Reply {
                        id: request.id,
                        result,
                    });
                });
            }
            Ok(None) => return,
            Err(e) => {
                tracing::warn!(error = %e, "window link: closing it");
                return;
            }
        }
    }
}
