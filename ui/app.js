// The window's UI: three views over the monitors' snapshots, with the IPC bridge in ipc.js.
import {
  onSelect, renderAccounts, select, selectedAccount, several, shownIn,
} from './accounts.js';
import { renderChart } from './chart.js';
import { commands, events } from './contract.js';
import { unitOf } from './format.js';
import {
  errorText, invoke, listen, saveDialog,
} from './ipc.js';
import { renderOverview } from './overview.js';
import { loadSettings, wireSettings } from './settings.js';

const $ = (id) => document.getElementById(id);
const views = ['overview', 'history', 'settings'];
let range = '7d';

const hints = {
  demo: 'Demo mode: three simulated accounts, in credits, US dollars and rand, whose balances '
    + 'drain at different speeds, cross their warning and critical levels and are topped up every '
    + 'few minutes. Nothing here touches a Clickatell account, and demo settings and history are '
    + 'kept apart from your own.',
  'no-tray': 'Your desktop has no system tray, so Clickatell Balance shows this window instead. '
    + 'It keeps monitoring and notifying, and adds its tray icon as soon as a tray appears '
    + '(on GNOME, install the AppIndicator extension).',
};

function show(view) {
  const name = views.includes(view) ? view : 'overview';
  for (const panel of document.querySelectorAll('[data-view-panel]')) {
    panel.hidden = panel.dataset.viewPanel !== name;
  }
  for (const link of document.querySelectorAll('nav a')) {
    if (link.dataset.view === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (name === 'history') drawHistory();
  if (name === 'settings') loadSettings().catch((e) => { $('settings-result').textContent = errorText(e); });
}

/** The arguments that make a command act on the account shown (none with one account). */
const shownAccount = () => (selectedAccount() ? { account: selectedAccount() } : {});

/** "Export CSV…": the shown account's readings, to the file chosen in the save dialog. */
async function exportCsv() {
  const result = $('export-result');
  try {
    const path = await saveDialog({
      title: 'Export the history as CSV',
      defaultPath: 'clickatell-balance-history.csv',
      filters: [{ name: 'CSV', extensions: ['csv'] }],
    });
    if (!path) return;
    result.textContent = 'Exporting…';
    result.textContent = await invoke(commands.exportHistory, { path, ...shownAccount() });
  } catch (error) {
    result.textContent = errorText(error);
  }
}

/** What the overview shows for a disabled account, which has no snapshot. */
const notWatched = { status: 'disabled', texts: { state: 'Disabled — not watched' } };

async function drawHistory() {
  for (const button of document.querySelectorAll('[data-range]')) {
    button.setAttribute('aria-pressed', String(button.dataset.range === range));
  }
  const [points, settings, snapshot] = await Promise.all([
    invoke(commands.getHistory, { range, ...shownAccount() }), invoke(commands.getSettings),
    invoke(commands.getSnapshot, shownAccount()),
  ]);
  const unit = snapshot.balance ? unitOf(snapshot.balance) : 'credits';
  const account = shownIn(settings.accounts);
  $('history-account').hidden = !several();
  $('history-account').textContent = several() ? `Account: ${account.name}` : '';
  renderChart($('chart'), points, { warning: account.warning_level, critical: account.critical_level }, unit);
}

/** Reads every account again and shows the chosen one. Changes that come while a read is
 * under way are folded into one more read after it, so a burst of readings (every account
 * polled at once) costs two reads, not one each. */
let reading = null;
let again = false;
async function refreshAccounts() {
  if (reading) {
    again = true;
    return reading;
  }
  reading = (async () => {
    do {
      again = false;
      const card = renderAccounts(await invoke(commands.getAccounts));
      if (several() && card) renderOverview(card.snapshot ?? notWatched);
    } while (again);
  })();
  try {
    await reading;
  } finally {
    reading = null;
  }
}

/** A new snapshot of the first account came, or anything else changed: with one account,
 * show it; with several, read them all again. */
function onSnapshot(snapshot) {
  if (several()) refreshAccounts();
  else renderOverview(snapshot);
}

function currentView() {
  const name = window.location.hash.slice(1);
  return views.includes(name) ? name : 'overview';
}

async function refresh() {
  const button = $('refresh');
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = 'Refreshing…';
  try {
    renderOverview(await invoke(commands.refreshNow, shownAccount()));
    if (several()) await refreshAccounts();
  } catch (error) {
    $('problem').hidden = false;
    $('problem-text').textContent = errorText(error);
    button.textContent = 'Refresh now';
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

async function start() {
  const hint = new URLSearchParams(window.location.search).get('hint');
  if (hints[hint]) {
    $('hint').textContent = hints[hint];
    $('hint').hidden = false;
  }
  wireSettings();
  // The tray's latest snapshot, handed to the window before its first paint: the balance is
  // there from the first frame, with no round trip and no placeholder.
  if (window.__CLICKATELL_SNAPSHOT__) renderOverview(window.__CLICKATELL_SNAPSHOT__);
  show(window.location.hash.slice(1));
  $('refresh').addEventListener('click', refresh);
  for (const button of document.querySelectorAll('[data-range]')) {
    button.addEventListener('click', () => { range = button.dataset.range; drawHistory(); });
  }
  $('export-csv').addEventListener('click', exportCsv);
  window.addEventListener('hashchange', () => show(window.location.hash.slice(1)));
  onSelect((card) => {
    renderOverview(card.snapshot ?? notWatched);
    if (currentView() !== 'overview') show(currentView());
  });
  window.addEventListener('accounts-changed', () => refreshAccounts());
  await Promise.all([
    listen(events.snapshot, onSnapshot),
    listen(events.focusAccount, async (id) => {
      window.location.hash = 'overview';
      await refreshAccounts();
      select(id);
    }),
    listen(events.navigate, (view) => { window.location.hash = view; }),
    listen(events.trayReady, () => {
      if (new URLSearchParams(window.location.search).get('hint') === 'no-tray') $('hint').hidden = true;
    }),
  ]);
  // Anything newer than the handed snapshot that came before the listeners did; with several
  // accounts, their cards (and the one the tray's menu asked for).
  renderOverview(await invoke(commands.getSnapshot));
  await refreshAccounts();
}

start().catch((error) => {
  $('problem').hidden = false;
  $('problem-text').textContent = `The window could not start: ${errorText(error)}`;
});
