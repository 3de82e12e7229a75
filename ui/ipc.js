// The bridge to the Rust side. Every payload's shape is defined in
// src-tauri/src/desktop/contract.rs; tests/fixtures/ipc/ holds the commands' real answers, and
// contract.js the commands' and events' names.
const tauri = () => {
  if (!window.__TAURI__) throw new Error('The app bridge is missing.');
  return window.__TAURI__;
};

export const invoke = (command, args = {}) => tauri().core.invoke(command, args);

/** The native save dialog (the only dialog the window may open): the chosen path, or null. */
export const saveDialog = (options) => tauri().dialog.save(options);

export const listen = (event, handler) => tauri().event.listen(event, (e) => handler(e.payload));

/** A user-facing sentence from a command's error, whatever its shape. */
export const errorText = (error) =>
  (error && typeof error === 'object' && error.message) ? error.message : String(error);
