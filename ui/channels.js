// Settings, Team alerts: the channels alerts go to besides the desktop (Slack, Microsoft
// Teams, ntfy, a JSON webhook, email), each with its minimum severity. A channel's secret (a
// webhook's address, an SMTP password) is write-only: typed here, kept in the keyring, never
// shown again; the form only says whether one is stored. "Send test alert" works on saved
// channels.
import { commands } from './contract.js';
import { errorText, invoke } from './ipc.js';

const $ = (id) => document.getElementById(id);

/** The channels being edited, as settings.json holds them. */
let channels = [];
/** Whether each saved channel's secret is stored, by channel name. */
let secretStatus = new Map();
/** The names saved last, so a test is only offered for a saved channel. */
let savedNames = new Set();

const KINDS = [
  ['slack', 'Slack (incoming webhook)'],
  ['teams', 'Microsoft Teams (Workflows webhook)'],
  ['ntfy', 'ntfy (topic address)'],
  ['json', 'Any JSON receiver (webhook)'],
  ['email', 'Email (SMTP)'],
];
const SEVERITIES = [
  ['info', 'Everything, top-ups too'],
  ['warning', 'Low balance and worse'],
  ['critical', 'Critical only'],
];

const kindOf = (channel) => (channel.kind === 'email' ? 'email' : channel.format);

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

function select(id, label, options, value, onChange) {
  const box = element('select', { id });
  for (const [v, text] of options) box.append(element('option', { value: v, text }));
  box.value = value;
  box.addEventListener('change', () => onChange(box.value));
  return [element('label', { for: id, text: label }), box];
}

function input(id, label, value, onInput, attributes = {}) {
  const field = element('input', { id, autocomplete: 'off', spellcheck: 'false', ...attributes });
  field.value = value ?? '';
  if (onInput) field.addEventListener('input', () => onInput(field.value));
  return [element('label', { for: id, text: label }), field];
}

/** A new channel of `kind`, keeping what carries over from `from`. */
function ofKind(kind, from) {
  const base = { name: from.name, min_severity: from.min_severity };
  if (kind !== 'email') return { ...base, kind: 'webhook', format: kind };
  return {
    ...base, kind: 'email', host: '', security: 'starttls', from: '', to: [],
  };
}

const secretName = (channel) => (channel.kind === 'email' ? 'SMTP password' : 'webhook address');

function secretLine(channel) {
  const status = secretStatus.get(channel.name);
  if (!savedNames.has(channel.name) || (status && status.what !== secretName(channel))) {
    return `Save the settings, then its ${secretName(channel)} is kept in your keyring.`;
  }
  if (!status) return '';
  if (status.error) return status.error;
  return status.stored
    ? `Its ${status.what} is stored in your keyring.`
    : `No ${status.what} is stored yet.`;
}

function drawChannel(channel, i) {
  const id = (field) => `channel-${i}-${field}`;
  const box = element('fieldset', { class: 'channel', 'data-channel': String(i) });
  box.append(element('legend', { text: channel.name || `Channel ${i + 1}` }));
  box.append(...input(id('name'), 'Name (lowercase letters, digits and dashes)', channel.name, (v) => {
    channel.name = v;
  }));
  box.append(...select(id('kind'), 'Send to', KINDS, kindOf(channel), (kind) => {
    channels[i] = ofKind(kind, channel);
    draw();
  }));
  box.append(...select(id('severity'), 'Which alerts', SEVERITIES, channel.min_severity ?? 'warning', (v) => {
    channel.min_severity = v;
  }));
  if (channel.kind === 'email') {
    box.append(...input(id('host'), 'SMTP server', channel.host, (v) => { channel.host = v.trim(); }));
    box.append(...input(id('port'), 'Port (empty for the usual one)', channel.port, (v) => {
      channel.port = v.trim() === '' ? null : Number(v);
    }, { type: 'number', min: '1', max: '65535' }));
    box.append(...select(id('security'), 'Encryption', [
      ['starttls', 'STARTTLS (port 587)'], ['tls', 'TLS (port 465)'], ['plain', 'None (a relay on this machine only)'],
    ], channel.security ?? 'starttls', (v) => { channel.security = v; }));
    box.append(...input(id('username'), 'User name (empty if the server asks for none)', channel.username, (v) => {
      channel.username = v.trim() || null;
    }));
    box.append(...input(id('from'), 'From', channel.from, (v) => { channel.from = v.trim(); }, {
      placeholder: 'Clickatell Balance <alerts@example.com>',
    }));
    box.append(...input(id('to'), 'To (comma-separated)', (channel.to ?? []).join(', '), (v) => {
      channel.to = v.split(',').map((s) => s.trim()).filter(Boolean);
    }));
  }
  const secretLabel = channel.kind === 'email'
    ? 'SMTP password (kept in your keyring; leave empty to keep it)'
    : 'Webhook address (kept in your keyring, as it carries the receiver\'s token; leave empty to keep it)';
  box.append(...input(id('secret'), secretLabel, '', null, { type: 'password', 'data-secret': String(i) }));
  box.append(element('p', { class: 'muted', id: id('secret-status'), text: secretLine(channel) }));
  const result = element('p', { role: 'status', id: id('result') });
  const test = element('button', { type: 'button', class: 'secondary', text: 'Send test alert' });
  test.disabled = !savedNames.has(channel.name);
  test.addEventListener('click', async () => {
    result.textContent = 'Sending…';
    try {
      result.textContent = await invoke(commands.sendTestAlert, { channel: channel.name });
    } catch (error) {
      result.textContent = errorText(error);
    }
  });
  const remove = element('button', { type: 'button', class: 'secondary', text: 'Remove' });
  remove.setAttribute('aria-label', `Remove ${channel.name || `channel ${i + 1}`}`);
  remove.addEventListener('click', () => {
    channels.splice(i, 1);
    draw();
    $('add-channel').focus();
  });
  box.append(element('div', { class: 'actions' }, test, remove), result);
  return box;
}

function draw() {
  $('channel-list').replaceChildren(...channels.map(drawChannel));
  $('channels-empty').hidden = channels.length > 0;
}

async function readSecretStatus() {
  const statuses = await invoke(commands.channelSecrets);
  secretStatus = new Map(statuses.map((s) => [s.channel, s]));
}

/** The saved channels into the form. */
export async function loadChannels(settings) {
  channels = structuredClone(settings.alert_channels ?? []);
  savedNames = new Set(channels.map((c) => c.name));
  await readSecretStatus();
  draw();
}

/** The form's channels, for the settings being saved. */
export const formChannels = () => structuredClone(channels);

/** After a save: stores each secret typed, then shows what is stored. */
export async function saveChannelSecrets(saved) {
  savedNames = new Set((saved.alert_channels ?? []).map((c) => c.name));
  for (const field of document.querySelectorAll('#channel-list [data-secret]')) {
    const channel = channels[Number(field.dataset.secret)];
    if (field.value && channel && savedNames.has(channel.name)) {
      await invoke(commands.saveChannelSecret, { channel: channel.name, secret: field.value });
    }
    field.value = '';
  }
  channels = structuredClone(saved.alert_channels ?? []);
  await readSecretStatus();
  draw();
}

export function wireChannels() {
  $('add-channel').addEventListener('click', () => {
    channels.push({ name: `team-${channels.length + 1}`, min_severity: 'warning', kind: 'webhook', format: 'slack' });
    draw();
    document.getElementById(`channel-${channels.length - 1}-name`)?.focus();
  });
}
