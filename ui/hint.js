// Shows a short hint passed by the app in the URL (e.g. when the desktop has no tray).
const hints = {
  'no-tray': 'Your desktop has no system tray, so Clickatell Balance shows this window instead. ' +
    'It keeps monitoring and notifying, and adds its tray icon as soon as a tray appears ' +
    '(on GNOME, install the AppIndicator extension).',
};
const hint = new URLSearchParams(window.location.search).get('hint');
if (hint && hints[hint]) {
  const note = document.getElementById('hint');
  note.textContent = hints[hint];
  note.hidden = false;
}
