// Settings: the accounts (add, rename, reorder, watch or not, remove), and for the account
// being edited its token (write-only), API and alert levels; then notification options.
// Validation is the backend's: its field errors are shown beside each field, and nothing is
// saved while one is invalid.
import { shownIn } from './accounts.js';
import {
  formChannels, loadChannels, saveChannelSecrets, wireChannels,
} from './channels.js';
import { commands } from './contract.js';
import { errorText, invoke } from './ipc.js';

const $ = (id) => document.getElementById(id);
/** The settings as last saved, and the accounts being edited (added ones have no id yet). */
let loaded = null;
let accounts = [];
/** The account whose token, API and alerts the form shows (an index into `accounts`). */
let editing = 0;
/** The account whose removal is being confirmed. */
let confirming = null;
let lastErrors = [];

const optionalNumber = (value) => (value.trim() === '' ? null : Number(value));
const textOrNull = (value) => (value.trim() === '' ? null : value.trim());
const editedAccount = () => accounts[editing];

/** The longest account name, from the backend's table (`name`, in characters). */
let nameLength = null;

/** Fields take their limits from the backend's table: a number field its range, in the unit
 * it shows (`data-per`: stored units per shown unit), a text field its length. */
function applyLimits(limits) {
  nameLength = limits.find((l) => l.field === 'name')?.max ?? null;
  for (const input of document.querySelectorAll('input[data-limit]')) {
    const limit = limits.find((l) => l.field === input.dataset.limit);
    if (!limit) continue;
    if (limit.unit === 'characters') {
      input.maxLength = limit.max;
      continue;
    }
    const per = Number(input.dataset.per ?? 1);
    input.min = String(Math.ceil(limit.min / per));
    input.max = String(Math.floor(limit.max / per));
  }
}

/** The edited account's fields into the form. */
function showAccountFields() {
  const account = editedAccount();
  $('api').value = account.api;
  $('format').value = account.format;
  $('warning_level').value = account.warning_level ?? '';
  $('critical_level').value = account.critical_level ?? '';
  $('poll_interval').value = Math.round(account.poll_interval_secs / 60);
}

/** The form's account fields into the edited account. */
function keepAccountFields() {
  const account = editedAccount();
  if (!account) return;
  Object.assign(account, {
    api: $('api').value,
    format: $('format').value,
    warning_level: textOrNull($('warning_level').value),
    critical_level: textOrNull($('critical_level').value),
    poll_interval_secs: Math.round(Number($('poll_interval').value) * 60),
  });
}

const button = (text, label, onClick, cls = 'secondary') => {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = cls;
  b.textContent = text;
  if (label) b.setAttribute('aria-label', label);
  b.addEventListener('click', onClick);
  return b;
};

/** Moves the account at `i` by `by` places, keeping the edited one edited. */
function move(i, by) {
  const j = i + by;
  if (j < 0 || j >= accounts.length) return;
  keepAccountFields();
  const edited = editedAccount();
  [accounts[i], accounts[j]] = [accounts[j], accounts[i]];
  editing = accounts.indexOf(edited);
  drawAccounts();
  document.querySelector(`#account-list li:nth-child(${j + 1}) [data-move="${by}"]`)?.focus();
}

function remove(i) {
  keepAccountFields();
  const edited = editedAccount();
  accounts.splice(i, 1);
  confirming = null;
  editing = Math.max(0, accounts.indexOf(edited));
  drawAccounts();
  showAccountFields();
  showTokenStatusOf();
  $('add-account').focus();
}

/** The list of accounts: rename, watch or not, reorder, remove (asking first). */
function drawAccounts() {
  const items = accounts.map((account, i) => {
    const item = document.createElement('li');
    item.dataset.account = account.id;
    const row = document.createElement('div');
    row.className = 'account-row';
    const name = document.createElement('input');
    name.className = 'account-name';
    name.value = account.name;
    if (nameLength) name.maxLength = nameLength;
    name.setAttribute('aria-label', `Name of account ${i + 1}`);
    name.addEventListener('input', () => {
      account.name = name.value;
      drawAccountSelect();
    });
    const watched = document.createElement('label');
    watched.className = 'check';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = account.enabled;
    box.addEventListener('change', () => { account.enabled = box.checked; });
    watched.append(box, ' Watched');
    const up = button('↑', `Move ${account.name} up`, () => move(i, -1));
    up.dataset.move = '-1';
    up.disabled = i === 0;
    const down = button('↓', `Move ${account.name} down`, () => move(i, 1));
    down.dataset.move = '1';
    down.disabled = i === accounts.length - 1;
    const removeButton = button('Remove…', `Remove ${account.name}`, () => {
      confirming = account;
      drawAccounts();
      document.querySelector('#account-list .confirm button')?.focus();
    });
    removeButton.disabled = accounts.length === 1;
    row.append(name, watched, up, down, removeButton);
    if (confirming === account) {
      const confirm = document.createElement('p');
      confirm.className = 'confirm';
      confirm.setAttribute('role', 'alert');
      confirm.append(
        account.id
          ? `Remove ${account.name}? Saving deletes its token from the keyring, its history and its alert state. `
          : `Remove ${account.name}? It has not been saved yet. `,
        button(`Remove ${account.name}`, null, () => remove(i), ''),
        ' ',
        button('Keep it', null, () => { confirming = null; drawAccounts(); }),
      );
      row.append(confirm);
    }
    const error = lastErrors.find((e) => e.account && e.account === account.id && ['name', 'id'].includes(e.field));
    if (error) {
      name.setAttribute('aria-invalid', 'true');
      const p = document.createElement('p');
      p.className = 'field-error';
      p.textContent = `${error.field === 'name' ? 'Name' : 'Id'} ${error.message}`;
      row.append(p);
    }
    item.append(row);
    return item;
  });
  $('account-list').replaceChildren(...items);
  drawAccountSelect();
}

function drawAccountSelect() {
  const select = $('account-select');
  select.replaceChildren(...accounts.map((account, i) => {
    const option = document.createElement('option');
    option.value = String(i);
    option.textContent = account.name || `Account ${i + 1}`;
    return option;
  }));
  select.value = String(editing);
}

function addAccount() {
  const input = $('new-account-name');
  const name = input.value.trim();
  const error = $('accounts-error');
  error.hidden = true;
  if (!name) {
    error.textContent = 'Give the new account a name.';
    error.hidden = false;
    input.focus();
    return;
  }
  keepAccountFields();
  // A new account starts with the edited one's API and alerts; the backend gives it an id.
  const model = editedAccount();
  accounts.push({
    ...model, id: '', name, enabled: true, base_url: null,
  });
  editing = accounts.length - 1;
  input.value = '';
  drawAccounts();
  showAccountFields();
  showTokenStatusOf();
}

export async function loadSettings() {
  const [settings, limits] = await Promise.all([
    invoke(commands.getSettings), invoke(commands.fieldLimits),
  ]);
  loaded = settings;
  accounts = structuredClone(settings.accounts);
  editing = Math.max(0, accounts.indexOf(shownIn(accounts)));
  confirming = null;
  lastErrors = [];
  applyLimits(limits);
  drawAccounts();
  showAccountFields();
  $('notify_enabled').checked = loaded.notifications.enabled;
  $('reminder_hours').value = loaded.notifications.reminder_hours ?? '';
  $('forecast_days').value = loaded.notifications.forecast_alert_days ?? '';
  $('top_up_notice').checked = loaded.notifications.top_up_notice;
  $('start_at_login').checked = loaded.start_at_login;
  $('tray_icon').value = loaded.tray_icon;
  $('tray_label').value = loaded.tray_label;
  $('top_up_url').value = loaded.top_up_url;
  showProxy(loaded.proxy);
  $('ca_file').value = loaded.ca_file ?? '';
  await Promise.all([showTokenStatusOf(), showProxyPasswordStatus(), loadChannels(loaded)]);
  return loaded;
}

/** The proxy setting in the form: `system`, `none`, or an address of its own. */
function showProxy(proxy) {
  const mode = ['system', 'none', ''].includes(proxy) ? (proxy || 'system') : 'custom';
  $('proxy_mode').value = mode;
  $('proxy').value = mode === 'custom' ? proxy : '';
  $('proxy-custom').hidden = mode !== 'custom';
}

function formProxy() {
  const mode = $('proxy_mode').value;
  return mode === 'custom' ? $('proxy').value.trim() : mode;
}

async function showProxyPasswordStatus() {
  const status = await invoke(commands.proxyPasswordStatus);
  $('proxy-password-status').textContent = status.error
    ? status.error
    : !status.user
      ? 'Save a proxy address with a user name (http://USER@HOST:PORT) to keep its password in your keyring.'
      : status.stored
        ? `A password for ${status.user} is stored in your ${status.keyring}.`
        : `No password is stored for ${status.user}.`;
}

/** The form as settings; fields the form does not show (and unknown ones) are kept as loaded. */
function formSettings() {
  keepAccountFields();
  return {
    ...loaded,
    accounts,
    start_at_login: $('start_at_login').checked,
    tray_icon: $('tray_icon').value,
    tray_label: $('tray_label').value,
    top_up_url: $('top_up_url').value.trim(),
    proxy: formProxy(),
    ca_file: $('ca_file').value.trim() || null,
    alert_channels: formChannels(),
    notifications: {
      ...loaded.notifications,
      enabled: $('notify_enabled').checked,
      reminder_hours: optionalNumber($('reminder_hours').value),
      forecast_alert_days: optionalNumber($('forecast_days').value),
      top_up_notice: $('top_up_notice').checked,
    },
  };
}

/** Each field error beside its field: the edited account's beside the form's fields, an
 * account's name beside it in the list, the rest in the accounts' message. */
function showFieldErrors(fields = []) {
  lastErrors = fields;
  for (const node of document.querySelectorAll('#settings-form .field-error')) {
    node.hidden = true;
    node.textContent = '';
  }
  for (const input of document.querySelectorAll('#settings-form [aria-invalid]')) input.removeAttribute('aria-invalid');
  const editedId = editedAccount()?.id;
  const elsewhere = [];
  for (const { account, field, message } of fields) {
    if (account && ['name', 'id'].includes(field)) continue;
    const node = document.getElementById(`${field}-error`);
    if ((account && account !== editedId) || !node) {
      const owner = accounts.find((a) => a.id === account);
      elsewhere.push(`${owner ? owner.name : account || 'Accounts'}: ${field} ${message}.`);
      continue;
    }
    node.textContent = message;
    node.hidden = false;
    for (const input of document.querySelectorAll(`[aria-describedby="${field}-error"]`)) input.setAttribute('aria-invalid', 'true');
  }
  $('accounts-error').textContent = elsewhere.join(' ');
  $('accounts-error').hidden = elsewhere.length === 0;
  drawAccounts();
}

async function save(event) {
  event.preventDefault();
  const result = $('settings-result');
  result.textContent = 'Saving…';
  try {
    loaded = await invoke(commands.saveSettings, { settings: formSettings() });
    const edited = editedAccount();
    accounts = structuredClone(loaded.accounts);
    editing = Math.max(0, accounts.findIndex((a) => a.name === edited?.name));
    showFieldErrors();
    showAccountFields();
    await showTokenStatusOf();
    const password = $('proxy_password').value;
    if (password && $('proxy_mode').value === 'custom') {
      await invoke(commands.saveProxyPassword, { password });
      $('proxy_password').value = '';
    }
    await showProxyPasswordStatus();
    await saveChannelSecrets(loaded);
    result.textContent = 'Saved. The new settings apply now.';
    window.dispatchEvent(new CustomEvent('accounts-changed'));
  } catch (error) {
    showFieldErrors(error.fields);
    result.textContent = errorText(error);
    document.querySelector('#settings-form [aria-invalid="true"], #account-list [aria-invalid="true"]')?.focus();
  }
}

/** The token commands' account: the edited one, once it has been saved. */
const tokenAccount = () => {
  const id = editedAccount()?.id;
  return id ? { account: id } : null;
};

/** Shows the edited account's token status (an account not saved yet has none). */
async function showTokenStatusOf() {
  const args = tokenAccount();
  const form = $('token-form');
  for (const control of form.querySelectorAll('input, button')) control.disabled = !args;
  if (!args) {
    $('token-status').textContent = `Save the settings to add ${editedAccount()?.name || 'the new account'}, then set its token here.`;
    return;
  }
  await showTokenStatus(await invoke(commands.tokenStatus, args));
}

async function showTokenStatus(status) {
  const text = status.error
    ? status.error
    : status.stored
      ? `A token is stored in your ${status.keyring}.`
      : `No token is stored yet. It will be kept in your ${status.keyring}.`;
  $('token-status').textContent = status.used_instead
    ? `${text} The token in use comes from ${status.used_instead}.` : text;
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
    const balance = await invoke(commands.testToken, { token: input.value, ...tokenAccount() });
    const status = await invoke(commands.saveToken, { token: input.value, ...tokenAccount() });
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
    await showTokenStatus(await invoke(commands.deleteToken, tokenAccount()));
    $('token-result').textContent = 'The token was removed.';
  } catch (error) {
    $('token-result').textContent = errorText(error);
  }
}

/** Reads the balance with the network settings as the form has them, and says the way. */
async function testConnection() {
  const result = $('connection-result');
  result.replaceChildren(Object.assign(document.createElement('p'), { textContent: 'Connecting to Clickatell…' }));
  try {
    const report = await invoke(commands.testConnection, {
      settings: formSettings(),
      proxy_password: $('proxy_password').value || null,
      ...tokenAccount(),
    });
    showFieldErrors();
    const lines = [
      `Route: ${report.route}.`,
      report.issuer
        ? `Certificate signed by “${report.issuer}”; trusted: ${report.trust}.`
        : `No certificate seen; trusted: ${report.trust}.`,
      report.outcome,
    ];
    result.replaceChildren(...lines.map((text) => Object.assign(document.createElement('p'), { textContent: text })));
    result.classList.toggle('failed', !report.reached);
  } catch (error) {
    showFieldErrors(error.fields);
    result.replaceChildren(Object.assign(document.createElement('p'), { textContent: errorText(error) }));
    result.classList.add('failed');
  }
}

async function testNotification() {
  const result = $('notification-result');
  try {
    await invoke(commands.sendTestNotification);
    result.textContent = 'A test notification was sent.';
  } catch (error) {
    result.textContent = errorText(error);
  }
}

export function wireSettings() {
  $('settings-form').addEventListener('submit', save);
  wireChannels();
  $('add-account').addEventListener('click', addAccount);
  $('new-account-name').addEventListener('keydown', (event) => {
    if (event.key === 'Enter') { event.preventDefault(); addAccount(); }
  });
  $('account-select').addEventListener('change', async () => {
    keepAccountFields();
    editing = Number($('account-select').value);
    showAccountFields();
    showFieldErrors(lastErrors);
    await showTokenStatusOf();
  });
  $('token-form').addEventListener('submit', testAndSave);
  $('token-remove').addEventListener('click', removeToken);
  $('test-notification').addEventListener('click', testNotification);
  $('test-connection').addEventListener('click', testConnection);
  $('proxy_mode').addEventListener('change', () => {
    $('proxy-custom').hidden = $('proxy_mode').value !== 'custom';
  });
}
