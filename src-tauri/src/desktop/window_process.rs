//! The window process: the one window, its UI's commands relayed to the tray process over
//! the link, and the tray's events passed on to the UI. It ends when its window closes or
//! when the tray process goes.

use super::command_list::with_commands;
use super::contract::{CommandError, CommandRequest, HistoryRange, View, NAVIGATE_EVENT};
use super::link::{self, Request, ToWindow, WINDOW_ARG};
use parking_lot::Mutex;
use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tauri::{AppHandle, Emitter, Manager, Runtime, State, WebviewUrl, WebviewWindowBuilder};
use tokio::io::BufReader;
use tokio::net::UnixStream;
use tokio::sync::{mpsc, oneshot};

/// What the tray process started this window process with.
pub struct WindowArgs {
    socket: PathBuf,
    view: View,
    hint: Option<String>,
}

/// This process's arguments if it is a window process (`--window-link SOCKET --view V
/// [--hint H]`, as the tray process starts it).
pub fn from_args() -> Option<WindowArgs> {
    let mut args = std::env::args().skip(1);
    if args.next()? != WINDOW_ARG {
        return None;
    }
    let mut window = WindowArgs {
        socket: args.next()?.into(),
        view: View::Overview,
        hint: None,
    };
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "--view" => window.view = View::from_fragment(&args.next()?)?,
            "--hint" => window.hint = Some(args.next()?),
            _ => return None,
        }
    }
    Some(window)
}

/// The UI's commands, each relayed as it is to the tray process, which serves them (see
/// `commands::dispatch`); `handler()` registers them all. Their arguments keep the names the
/// contract gives them (`proxy_password`), not Tauri's camelCase default.
macro_rules! relays {
    ($($name:ident $variant:ident { $($field:ident: $ty:ty),* })*) => {
        $(
            #[tauri::command(rename_all = "snake_case")]
            pub async fn $name(
                relay: State<'_, Relay>,
                $($field: $ty),*
            ) -> Result<Value, CommandError> {
                relay.call(CommandRequest::$variant { $($field),* }).await
            }
        )*

        /// Every relayed command, for `invoke_handler`.
        pub fn handler<R: tauri::Runtime>(
        ) -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }
    };
}

with_commands!(relays);

/// How long the window waits for the tray's snapshot before painting without it.
const FIRST_SNAPSHOT_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

type Pending = Arc<Mutex<HashMap<u64, oneshot::Sender<Result<Value, CommandError>>>>>;

/// Relays the UI's commands to the tray process and hands back its answers.
pub struct Relay {
    next_id: AtomicU64,
    pending: Pending,
    requests: mpsc::UnboundedSender<Request>,
}

impl Relay {
    /// Sends `call` to the tray process and waits for its answer.
    pub async fn call(&self, call: CommandRequest) -> Result<Value, CommandError> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (answer, answered) = oneshot::channel();
        self.pending.lock().insert(id, answer);
        let request = Request { id, call };
        if self.requests.send(request).is_err() {
            self.pending.lock().remove(&id);
            return Err(tray_gone());
        }
        answered.await.unwrap_or_else(|_| Err(tray_gone()))
    }
}

fn tray_gone() -> CommandError {
    CommandError::message("The tray app has quit, so this window can do nothing more.")
}

/// Connects a relay over `reader` and `writer`: answers go to their callers, everything else
/// the tray sends comes out of the returned receiver, which closes when the link does.
pub fn connect<Rd, Wr>(reader: Rd, mut writer: Wr) -> (Relay, mpsc::UnboundedReceiver<ToWindow>)
where
    Rd: tokio::io::AsyncRead + Unpin + Send + 'static,
    Wr: tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (requests, mut outgoing) = mpsc::unbounded_channel::<Request>();
    let (events, received) = mpsc::unbounded_channel();
    let pending = Pending::default();
    tauri::async_runtime::spawn(async move {
        while let Some(request) = outgoing.recv().await {
            if link::write(&mut writer, &request).await.is_err() {
                return;
            }
        }
    });
    let answers = pending.clone();
    tauri::async_runtime::spawn(async move {
        let mut reader = BufReader::new(reader);
        while let Ok(Some(message)) = link::read::<ToWindow, _>(&mut reader).await {
            match message {
                ToWindow::Reply { id, result } => {
                    if let Some(caller) = answers.lock().remove(&id) {
                        let _ = caller.send(result);
                    }
                }
                other => {
                    let _ = events.send(other);
                }
            }
        }
        // The link is gone: every caller still waiting hears so.
        answers.lock().clear();
    });
    let relay = Relay {
        next_id: AtomicU64::new(1),
        pending,
        requests,
    };
    (relay, received)
}

/// Runs the window process until its window closes or the tray process goes.
pub fn run(args: WindowArgs) -> ExitCode {
    let connected =
        tauri::async_runtime::block_on(async { UnixStream::connect(&args.socket).await });
    let stream = match connected {
        Ok(stream) => stream,
        Err(e) => {
            eprintln!("clickatell-balance: the window could not reach the tray app ({e}).");
            return ExitCode::FAILURE;
        }
    };
    let (reader, writer) = stream.into_split();
    let (relay, mut events) = connect(reader, writer);
    // The window paints with the tray's latest snapshot from its first frame; a tray that
    // does not answer in time only costs that (the page asks again once loaded).
    let snapshot = tauri::async_runtime::block_on(async {
        tokio::time::timeout(
            FIRST_SNAPSHOT_WAIT,
            relay.call(CommandRequest::GetSnapshot { account: None }),
        )
        .await
    })
    .ok()
    .and_then(Result::ok)
    .unwrap_or(Value::Null);
    let built = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(relay)
        .invoke_handler(handler())
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::Destroyed = event {
                window.app_handle().exit(0);
            }
        })
        .setup(move |app| {
            build(app.handle(), args.view, args.hint.as_deref(), &snapshot)?;
            let app = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                while let Some(message) = events.recv().await {
                    match message {
                        ToWindow::Event { event, payload } => {
                            let _ = app.emit(&event, payload);
                        }
                        ToWindow::Show { view } => show(&app, view),
                        ToWindow::Reply { .. } => {}
                    }
                }
                app.exit(0);
            });
            Ok(())
        })
        .build(tauri::generate_context!());
    match built {
        Ok(app) => {
            app.run(|_, _| {});
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("clickatell-balance: the window could not open: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The window's label.
const MAIN: &str = "main";

/// Builds the window at `view`, painting `snapshot` from the start.
fn build<R: Runtime>(
    app: &AppHandle<R>,
    view: View,
    hint: Option<&str>,
    snapshot: &Value,
) -> tauri::Result<()> {
    let mut url = "index.html".to_owned();
    if let Some(hint) = hint {
        url.push_str(&format!("?hint={hint}"));
    }
    url.push('#');
    url.push_str(view.fragment());
    WebviewWindowBuilder::new(app, MAIN, WebviewUrl::App(url.into()))
        .title("Clickatell Balance")
        .inner_size(440.0, 620.0)
        .min_inner_size(360.0, 420.0)
        .initialization_script(format!("window.__CLICKATELL_SNAPSHOT__ = {snapshot};"))
        .build()
        .map(drop)
}

/// Raises the window and shows `view`.
fn show<R: Runtime>(app: &AppHandle<R>, view: View) {
    if let Some(window) = app.get_webview_window(MAIN) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
        let _ = window.emit(NAVIGATE_EVENT, view);
    }
}
