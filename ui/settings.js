// Settings: the token (write-only), the API, the alert levels and notification options.
// Validation is the backend's: its field errors are shown beside each field, and nothing is
// saved while one is invalid.
import { errorText, invoke } from './ipc.js';

const $ = (id) => document.getElementById(id);
let loaded = null;

const optionalNumber = (value) => (value.trim() === '' ? null : Number(value));
const textOrNull = (value) => (value.trim() === '' ? null : value.trim());

/** The account the form edits: the one the window shows, the first enabled. */
const shownAccount = (settings) => settings.accounts.find((a) => a.enabled) ?? settings.accounts[0];

/** Number fields take their ranges from the backend's table, in the unit each one shows
 * (`data-per`: stored units per shown unit). */
function applyLimits(limits) {
  for (const input of document.querySelectorAll('#settings-form input[data-limit]')) {
    const limit = limits.find((l) => l.field === input.dataset.limit);
    if (!limit) continue;
    const per = Number(input.dataset.per ?? 1);
    input.min = String(Math.ceil(limit.min / per));
    input.max = String(Math.floor(limit.max / per));
  }
}

export async function loadSettings() {
  const [settings, limits] = await Promise.all([invoke('get_settings'), invoke('field_limits')]);
  loaded = settings;
  applyLimits(limits);
  const account = shownAccount(loaded);
  $('api').value = account.api;
  $('format').value = account.format;
  $('warning_level').value = account.warning_level ?? '';
  $('critical_level').value = account.critical_level ?? '';
  $('poll_interval').value = Math.round(account.poll_interval_secs / 60);
  $('notify_enabled').checked = loaded.notifications.enabled;
  $('reminder_hours').value = loaded.notifications.reminder_hours ?? '';
  $('forecast_days').value = loaded.notifications.forecast_alert_days ?? '';
  $('top_up_notice').checked = loaded.notifications.top_up_notice;
  $('start_at_login').checked = loaded.start_at_login;
  $('tray_icon').value = loaded.tray_icon;
  $('top_up_url').value = loaded.top_up_url;
  await showTokenStatus(await invoke('token_status'));
  return loaded;
}

/** The form as settings; fields the form does not show (and unknown ones) are kept as loaded. */
function formSettings() {
  const shown = shownAccount(loaded);
  const edited = {
    ...shown,
    api: $('api').value,
    format: $('format').value,
    warning_level: textOrNull($('warning_level').value),
    critical_level: textOrNull($('critical_level').value),
    poll_interval_secs: Math.round(Number($('poll_interval').value) * 60),
  };
  return {
    ...loaded,
    accounts: loaded.accounts.map((a) => (a.id === shown.id ? edited : a)),
    start_at_login: $('start_at_login').checked,
    tray_icon: $('tray_icon').value,
    top_up_url: $('top_up_url').value.trim(),
    notifications: {
      ...loaded.notifications,
      enabled: $('notify_enabled').checked,
      reminder_hours: optionalNumber($('reminder_hours').value),
      forecast_alert_days: optionalNumber($('forecast_days').value),
      top_up_notice: $('top_up_notice').checked,
    },
  };
}

function showFieldErrors(fields = []) {
  for (const node of document.querySelectorAll('#settings-form .field-error')) {
    node.hidden = true;
    node.textContent = '';
  }
  for (const input of document.querySelectorAll('#settings-form [aria-invalid]')) input.removeAttribute('aria-invalid');
  const shown = loaded && shownAccount(loaded).id;
  for (const { account, field, message } of fields) {
    if (account && account !== shown) continue;
    const node = document.getElementById(`${field}-error`);
    if (!node) continue;
    node.textContent = message;
    node.hidden = false;
    document.querySelector(`[aria-describedby="${field}-error"]`)?.setAttribute('aria-invalid', 'true');
  }
}

async function save(event) {
  event.preventDefault();
  const result = $('settings-result');
  result.textContent = 'Saving…';
  try {
    loaded = await invoke('save_settings', { settings: formSettings() });
    showFieldErrors();
    result.textContent = 'Saved. The new settings apply now.';
  } catch (error) {
    showFieldErrors(error.fields);
    result.textContent = errorText(error);
    document.querySelector('#settings-form [aria-invalid="true"]')?.focus();
  }
}

async function showTokenStatus(status) {
  const text = status.error
    ? status.error
    : status.stored
      ? `A token is stored in your ${status.keyring}.`
      : `No token is stored yet. It will be kept in your ${status.keyring}.`;
  $('token-status').textContent = status.env_override
    ? `${text} CLICKATELL_TOKEN is set and is used instead.` : text;
  $('token-remove').disabled = !status.stored;
}

function tokenError(message) {
  const node = $('token-error');
  node.textContent = message || '';
  node.hidden = !message;
  if (message) $('token').setAttribute('aria-invalid', 'true');
  else $('token').removeAttribute('aria-invalid');
}

async function testAndSave(event) {
  event.preventDefault();
  const input = $('token');
  const result = $('token-result');
  tokenError('');
  result.textContent = 'Testing the token with Clickatell…';
  try {
    const balance = await invoke('test_token', { token: input.value });
    const status = await invoke('save_token', { token: input.value });
    input.value = '';
    result.textContent = `The token works (balance ${balance.amount} ${balance.currency || 'credits'}) and was saved.`;
    await showTokenStatus(status);
  } catch (error) {
    const field = (error.fields || []).find((f) => f.field === 'token');
    tokenError(field ? field.message : '');
    result.textContent = `${errorText(error)} The token was not saved.`;
  }
}

async function removeToken() {
  try {
    await showTokenStatus(await invoke('delete_token'));
    $('token-result').textContent = 'The token was removed.';
  } catch (error) {
    $('token-result').textContent = errorText(error);
  }
}

async function testNotification() {
  const result = $('notification-result');
  try {
    await invoke('send_test_notification');
    result.textContent = 'A test notification was sent.';
  } catch (error) {
    result.textContent = errorText(error);
  }
}

export function wireSettings() {
  $('settings-form').addEventListener('submit', save);
  $('token-form').addEventListener('submit', testAndSave);
  $('token-remove').addEventListener('click', removeToken);
  $('test-notification').addEventListener('click', testNotification);
}
