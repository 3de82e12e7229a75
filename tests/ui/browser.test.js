// The web UI in a real browser: Debian's Chromium driven by playwright-core, the UI served on
// loopback with the app's CSP, and the Tauri bridge mocked from tests/fixtures/ipc: answers the
// real commands gave through Tauri's mock runtime (src-tauri/src/desktop/commands/tests.rs
// writes and checks them), so the page is fed what the app really sends.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const uiDir = path.join(root, 'ui');
const artifacts = path.join(root, 'tests/artifacts');
const conf = JSON.parse(await fs.readFile(path.join(root, 'src-tauri/tauri.conf.json'), 'utf8'));
const fixture = async (name) => JSON.parse(await fs.readFile(path.join(root, 'tests/fixtures/ipc', `${name}.json`), 'utf8'));
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png' };

let server;
let base;
let browser;

before(async () => {
  server = http.createServer(async (req, res) => {
    const file = path.join(uiDir, new URL(req.url, 'http://x').pathname.replace(/^\/$/, '/index.html'));
    if (!file.startsWith(uiDir)) { res.writeHead(403).end(); return; }
    try {
      const body = await fs.readFile(file);
      res.writeHead(200, {
        'Content-Type': types[path.extname(file)] || 'application/octet-stream',
        'Content-Security-Policy': conf.app.security.csp,
      }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}/`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
  await fs.mkdir(artifacts, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.close();
});

/**
 * The mocked bridge: `responses` maps a command to a recorded `{ value }` or `{ error }`.
 * `save_settings` answers from the recorded exchanges whose levels match the form sent; a form
 * nobody recorded fails the test instead of being answered by a guess.
 */
function bridge(responses) {
  window.__calls = [];
  window.__listeners = {};
  const resolve = (cmd, args) => {
    if (cmd === 'save_settings') {
      const sent = args.settings;
      // The same accounts, field for field, whatever the order of the fields.
      const canonical = (value) => JSON.stringify(value, (_, v) => (v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
      const same = ({ settings }) => canonical(settings.accounts) === canonical(sent.accounts);
      const recorded = responses.__saveSettings.find(same);
      if (!recorded) return { error: { message: `no recorded answer for ${JSON.stringify(sent)}`, fields: [] } };
      return recorded.reply;
    }
    if (cmd === 'get_history') return args.range === '24h' ? responses.__historyEmpty : responses.get_history;
    if (cmd === 'test_connection' && args.settings.proxy.startsWith('ftp:')) return responses.__connectionBadProxy;
    if (cmd === 'get_snapshot' && args.account && responses.__snapshots[args.account]) {
      return responses.__snapshots[args.account];
    }
    if (!(cmd in responses)) return { error: { message: `unmocked command ${cmd}`, fields: [] } };
    return responses[cmd];
  };
  window.__TAURI__ = {
    core: {
      invoke: async (cmd, args = {}) => {
        window.__calls.push([cmd, JSON.parse(JSON.stringify(args))]);
        const r = resolve(cmd, args);
        if (r.error) throw r.error;
        return JSON.parse(JSON.stringify(r.value));
      },
    },
    dialog: {
      save: async (options) => {
        window.__dialog = options;
        return window.__savePath ?? null;
      },
    },
    event: {
      listen: async (name, handler) => {
        (window.__listeners[name] ||= []).push(handler);
        return () => {};
      },
    },
  };
  window.__emit = (name, payload) => (window.__listeners[name] || []).forEach((h) => h({ payload }));
}

async function open(snapshotName, {
  width = 440, hash = '', accounts = 'accounts-one', settings = 'settings', saves = 'save-settings',
} = {}) {
  const responses = {
    get_snapshot: { value: await fixture(snapshotName) },
    get_accounts: { value: await fixture(accounts) },
    refresh_now: { value: await fixture(snapshotName) },
    get_settings: { value: await fixture(settings) },
    field_limits: { value: await fixture('field-limits') },
    token_status: { value: { ...(await fixture('token-status')), stored: snapshotName !== 'snapshot-token-missing' } },
    test_token: { value: await fixture('balance') },
    save_token: { value: await fixture('token-status') },
    get_history: { value: await fixture('history') },
    send_test_notification: { value: null },
    test_connection: { value: await fixture('connection-report') },
    proxy_password_status: { value: await fixture('proxy-password-status') },
    save_proxy_password: { value: await fixture('proxy-password-stored') },
    channel_secrets: { value: await fixture('channel-secrets') },
    save_channel_secret: { value: await fixture('channel-secrets') },
    send_test_alert: await fixture('test-alert'),
    export_history: await fixture('export-history'),
    __connectionBadProxy: await fixture('connection-bad-proxy'),
    __historyEmpty: { value: await fixture('history-empty') },
    __saveSettings: await fixture(saves),
    __snapshots: { eu: { value: await fixture('snapshot-eu') } },
  };
  const page = await browser.newPage({ viewport: { width, height: 760 } });
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.addInitScript(bridge, responses);
  await page.goto(base + hash);
  await page.waitForFunction(() => window.__calls.some(([cmd]) => cmd === 'get_snapshot'));
  return { page, problems };
}

const calls = (page) => page.evaluate(() => window.__calls);

test('first run explains the app and leads to the token field', async () => {
  const { page, problems } = await open('snapshot-token-missing');
  const welcome = page.locator('#first-run');
  await welcome.waitFor();
  assert.match(await welcome.innerText(), /API token/);
  assert.match(await welcome.innerText(), /API keys/);
  // One welcome: no "No token" balance card or problem card saying the same beside it.
  for (const other of ['#balance-card', '#problem', '#refresh']) {
    assert.ok(await page.locator(other).isHidden(), `${other} is shown on a first run`);
  }
  await page.screenshot({ path: path.join(artifacts, 'ui-first-run.png'), fullPage: true });
  await page.getByRole('link', { name: 'Add your token' }).click();
  await page.locator('#token').waitFor();
  assert.match(await page.locator('#token-status').innerText(), /No token is stored yet/);
  assert.equal(await page.locator('#token').getAttribute('type'), 'password');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a token is tested, then saved, and never shown again', async () => {
  const { page, problems } = await open('snapshot-token-missing', { hash: '#settings' });
  await page.locator('#token').fill('  my-secret-token ');
  await page.getByRole('button', { name: 'Test & save' }).click();
  await page.locator('#token-result').filter({ hasText: 'The token works' }).waitFor();
  assert.match(await page.locator('#token-result').innerText(), /balance 1267\.92865 ZAR/);
  const sent = (await calls(page)).filter(([cmd]) => cmd === 'test_token' || cmd === 'save_token');
  assert.deepEqual(sent.map(([cmd]) => cmd), ['test_token', 'save_token']);
  assert.equal(await page.locator('#token').inputValue(), '');
  assert.match(await page.locator('#token-status').innerText(), /A token is stored in your Secret Service keyring/);
  assert.ok(!(await page.content()).includes('my-secret-token'));
  await page.screenshot({ path: path.join(artifacts, 'ui-settings.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('an invalid threshold is refused with its message and nothing is saved', async () => {
  const { page } = await open('snapshot-ok', { hash: '#settings' });
  await page.locator('#warning_level').fill('50');
  await page.locator('#critical_level').fill('80');
  await page.getByRole('button', { name: 'Save settings' }).click();
  const error = page.locator('#critical_level-error');
  await error.waitFor({ state: 'visible' });
  assert.equal(await error.innerText(), 'must not be above the warning level (50)');
  assert.equal(await page.locator('#critical_level').getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('#settings-result').innerText(), /nothing was saved/);
  await page.locator('#critical_level').fill('20');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.locator('#settings-result').filter({ hasText: 'Saved' }).waitFor();
  assert.ok(await error.isHidden());
  const saved = (await calls(page)).filter(([cmd]) => cmd === 'save_settings').pop()[1].settings;
  assert.equal(saved.accounts.length, 1);
  assert.equal(saved.accounts[0].warning_level, '50');
  assert.equal(saved.accounts[0].critical_level, '20');
  assert.equal(saved.accounts[0].poll_interval_secs, 300);
  await page.close();
});

test("the fields' limits are the backend's, in the unit each shows", async () => {
  const { page } = await open('snapshot-ok', { hash: '#settings' });
  const range = async (id) => page.locator(`#${id}`).evaluate((n) => [n.min, n.max]);
  await page.locator('#poll_interval[max]').waitFor({ state: 'attached' });
  assert.deepEqual(await range('poll_interval'), ['1', '1440']);
  assert.deepEqual(await range('reminder_hours'), ['1', '168']);
  assert.deepEqual(await range('forecast_days'), ['1', '60']);
  // Account names: the length the backend allows, in the list and for a new account.
  const names = await page.locator('.account-name').evaluateAll((ns) => ns.map((n) => n.maxLength));
  assert.ok(names.length > 0 && names.every((n) => n === 40), String(names));
  assert.equal(await page.locator('#new-account-name').evaluate((n) => n.maxLength), 40);
  await page.close();
});

test('the chart is drawn from the history, with the levels and an empty state', async () => {
  const { page, problems } = await open('snapshot-ok', { hash: '#history' });
  const line = page.locator('#chart svg polyline.series');
  await line.waitFor();
  const points = (await line.getAttribute('points')).trim().split(' ');
  assert.equal(points.length, 3);
  assert.equal(await page.locator('#chart .level-warning').count(), 1);
  await page.screenshot({ path: path.join(artifacts, 'ui-history.png'), fullPage: true });
  await page.getByRole('button', { name: '24 h' }).click();
  await page.locator('#chart .empty').waitFor();
  assert.match(await page.locator('#chart').innerText(), /No readings in this range yet/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the chart has value and date ticks with the unit, and a crosshair for mouse and keyboard', async () => {
  const { page, problems } = await open('snapshot-ok', { hash: '#history' });
  const history = await fixture('history');
  const svg = page.locator('#chart svg[role="img"]');
  await svg.waitFor();
  assert.equal(await page.locator('#chart .unit').textContent(), 'credits');
  const values = await page.locator('#chart .value-tick').allTextContents();
  assert.ok(values.length >= 3, `value ticks: ${values}`);
  assert.equal(values[0], '0');
  assert.equal(await page.locator('#chart .time-tick').count(), 5);
  const readout = page.locator('#chart-readout');
  const reads = (point) => `${point.amount} credits`; // amounts under 1,000, two decimals
  // The mouse at the chart's right edge reads the last reading, at its left the first.
  const box = await svg.boundingBox();
  await page.mouse.move(box.x + box.width - 14, box.y + box.height / 2);
  assert.match(await readout.innerText(), new RegExp(`^${reads(history[history.length - 1])} · `));
  await page.mouse.move(box.x + 66, box.y + box.height / 2);
  assert.match(await readout.innerText(), new RegExp(`^${reads(history[0])} · `));
  // The keyboard walks the readings one by one.
  await svg.focus();
  await page.keyboard.press('End');
  assert.match(await readout.innerText(), new RegExp(`^${reads(history[history.length - 1])} · `));
  await page.keyboard.press('ArrowLeft');
  assert.match(await readout.innerText(), new RegExp(`^${reads(history[history.length - 2])} · `));
  await page.keyboard.press('Home');
  assert.match(await readout.innerText(), new RegExp(`^${reads(history[0])} · `));
  assert.equal(await page.locator('#chart .crosshair').getAttribute('visibility'), 'visible');
  await page.screenshot({ path: path.join(artifacts, 'ui-history-crosshair.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the first paint shows the snapshot the window was handed, before any answer', async () => {
  const snapshot = await fixture('snapshot-ok');
  const page = await browser.newPage({ viewport: { width: 440, height: 760 } });
  // A bridge that never answers and never delivers an event: whatever the page shows came
  // from the snapshot handed to it at creation.
  await page.addInitScript((handed) => {
    window.__CLICKATELL_SNAPSHOT__ = handed;
    window.__TAURI__ = {
      core: { invoke: () => new Promise(() => {}) },
      event: { listen: () => new Promise(() => {}) },
    };
  }, snapshot);
  await page.goto(base);
  assert.equal(await page.locator('#balance').innerText(), '300.50 credits');
  assert.equal(await page.locator('#state-badge').innerText(), 'OK');
  await page.close();
});

test('a pushed snapshot updates the overview', async () => {
  const { page, problems } = await open('snapshot-ok');
  const balance = page.locator('#balance');
  await balance.filter({ hasText: '300.50 credits' }).waitFor();
  assert.equal(await page.locator('#state-badge').innerText(), 'OK');
  assert.equal(await balance.getAttribute('title'), 'Exact: 300.50 credits');
  assert.match(await page.locator('#forecast').innerText(), /≈ 12 days left/);
  await page.screenshot({ path: path.join(artifacts, 'ui-overview.png'), fullPage: true });
  const low = await fixture('snapshot-warning');
  await page.evaluate((pushed) => window.__emit('snapshot', pushed), low);
  await balance.filter({ hasText: '80.00 credits' }).waitFor();
  assert.equal(await page.locator('#state-badge').innerText(), 'Low');
  assert.match(await page.locator('#updated').innerText(), /Updated just now/);
  // The words are the core's, sent with the snapshot: the UI only places them.
  assert.equal(await page.locator('#next-poll').innerText(), low.texts.next_check);
  assert.equal(await page.locator('#forecast').innerText(), 'Not enough data for a forecast yet.');
  assert.deepEqual(problems, []);
  await page.close();
});

test('readable at 360 px, keyboard reachable, with the token problem explained', async () => {
  const { page } = await open('snapshot-token-rejected', { width: 360 });
  await page.locator('#problem').waitFor();
  assert.match(await page.locator('#problem').innerText(), /rejected the API token/);
  assert.match(await page.locator('#problem-fix').innerText(), /Paste a new token/);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px at 360px`);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Overview');
  await page.screenshot({ path: path.join(artifacts, 'ui-360px-token-rejected.png'), fullPage: true });
  await page.close();
});

test('a locked keyring is explained, and Refresh offers to unlock it', async () => {
  const { page, problems } = await open('snapshot-keyring-locked');
  await page.locator('#problem').waitFor();
  assert.match(await page.locator('#problem-text').innerText(), /The keyring is locked: unlock it/);
  assert.equal(await page.locator('#state-badge').innerText(), 'Keyring locked');
  const button = page.locator('#refresh');
  assert.equal(await button.innerText(), 'Unlock keyring…');
  await button.click();
  await page.waitForFunction(() => window.__calls.some(([cmd]) => cmd === 'refresh_now'));
  assert.deepEqual(problems, []);
  await page.close();
});

test('the no-tray hint goes away when a tray host appears', async () => {
  const { page, problems } = await open('snapshot-ok', { hash: '?hint=no-tray' });
  const hint = page.locator('#hint');
  await hint.waitFor();
  assert.match(await hint.innerText(), /no system tray/);
  await page.evaluate(() => window.__emit('tray-ready', null));
  await hint.waitFor({ state: 'hidden' });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the tray icon style, the label beside it and the top-up page are settings', async () => {
  const { page } = await open('snapshot-ok', { hash: '#settings' });
  await page.locator('#tray_icon').waitFor();
  assert.equal(await page.locator('#tray_icon').inputValue(), 'balance');
  assert.equal(await page.locator('#top_up_url').inputValue(), 'https://portal.clickatell.com/');
  const options = await page.locator('#tray_icon option').evaluateAll((o) => o.map((x) => x.value));
  assert.deepEqual(options, ['balance', 'meter', 'symbol']);
  assert.equal(await page.locator('#tray_label').inputValue(), 'balance');
  const labels = await page.locator('#tray_label option').evaluateAll((o) => o.map((x) => x.value));
  assert.deepEqual(labels, ['balance', 'off']);
  await page.close();
});

test('the network settings: the proxy, a CA file, and Test connection saying the way', async () => {
  const { page, problems } = await open('snapshot-ok', { hash: '#settings' });
  await page.locator('#proxy_mode').waitFor();
  assert.equal(await page.locator('#proxy_mode').inputValue(), 'system');
  assert.ok(await page.locator('#proxy').isHidden(), 'the address is asked for only for a proxy of its own');
  await page.locator('#proxy_mode').selectOption('custom');
  await page.locator('#proxy').fill('ftp://proxy.example.com:21');
  await page.locator('#proxy_password').fill('typed-proxy-secret');
  await page.locator('#ca_file').fill('/usr/local/share/ca-certificates/company.crt');
  await page.getByRole('button', { name: 'Test connection' }).click();
  await page.locator('#proxy-error').filter({ hasText: 'ftp:// is not supported' }).waitFor();
  assert.equal(await page.locator('#proxy').getAttribute('aria-invalid'), 'true');

  await page.locator('#proxy').fill('http://alice@proxy.example.com:3128');
  await page.getByRole('button', { name: 'Test connection' }).click();
  const result = page.locator('#connection-result');
  await result.filter({ hasText: 'Clickatell answered' }).waitFor();
  assert.deepEqual((await result.locator('p').allInnerTexts()), [
    'Route: direct (plain http to this machine is never proxied).',
    "No certificate seen; trusted: the system's trust store.",
    'Clickatell answered: 300.50 credits.',
  ]);
  assert.ok(await page.locator('#proxy-error').isHidden());
  const tests = (await calls(page)).filter(([cmd]) => cmd === 'test_connection');
  const [, last] = tests.at(-1);
  assert.equal(last.settings.proxy, 'http://alice@proxy.example.com:3128');
  assert.equal(last.settings.ca_file, '/usr/local/share/ca-certificates/company.crt');
  assert.equal(last.proxy_password, 'typed-proxy-secret');
  assert.ok(!(await page.content()).includes('typed-proxy-secret'), 'the password is not echoed in the page');
  await page.screenshot({ path: path.join(artifacts, 'ui-network.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

/** The three accounts the app answered with (Main, EU low, US West disabled). */
const openAccounts = (hash = '') => open('snapshot-ok', {
  hash, width: 720, accounts: 'accounts', settings: 'settings-accounts', saves: 'save-settings-accounts',
});

test('several accounts: a card each, and the one chosen is shown in full', async () => {
  const { page, problems } = await openAccounts();
  const cards = page.locator('.account-card');
  await cards.nth(2).waitFor();
  assert.equal(await cards.count(), 3);
  assert.match(await cards.nth(0).innerText(), /Main[\s\S]*OK[\s\S]*300\.50 credits/);
  assert.match(await cards.nth(1).innerText(), /EU[\s\S]*Low[\s\S]*300\.50 credits/);
  assert.match(await cards.nth(2).innerText(), /US West[\s\S]*Disabled/);
  assert.equal(await cards.nth(0).getAttribute('aria-pressed'), 'true');
  assert.equal(await page.locator('#account-title').innerText(), 'Main');
  assert.equal(await page.locator('.account-card').nth(0).locator('polyline').count(), 1, 'a sparkline');
  await cards.nth(1).click();
  assert.equal(await cards.nth(1).getAttribute('aria-pressed'), 'true');
  assert.equal(await page.locator('#account-title').innerText(), 'EU');
  assert.equal(await page.locator('#state-badge').getAttribute('data-status'), 'warning');
  // The history and the refresh are the chosen account's.
  await page.getByRole('button', { name: 'Refresh now' }).click();
  await page.locator('nav a[data-view="history"]').click();
  await page.locator('#history-account').filter({ hasText: 'EU' }).waitFor();
  const sent = await calls(page);
  assert.ok(sent.some(([cmd, a]) => cmd === 'refresh_now' && a.account === 'eu'), JSON.stringify(sent));
  assert.ok(sent.some(([cmd, a]) => cmd === 'get_history' && a.account === 'eu'));
  await page.screenshot({ path: path.join(artifacts, 'ui-accounts.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the tray menu\'s account line shows that account', async () => {
  const { page, problems } = await openAccounts();
  await page.locator('.account-card').nth(2).waitFor();
  await page.evaluate(() => window.__emit('focus-account', 'eu'));
  await page.locator('#account-title').filter({ hasText: 'EU' }).waitFor();
  assert.deepEqual(problems, []);
  await page.close();
});

test('an account\'s field error is shown for that account', async () => {
  const { page, problems } = await openAccounts('#settings');
  await page.locator('#account-select').selectOption({ label: 'EU' });
  assert.equal(await page.locator('#warning_level').inputValue(), '400');
  await page.locator('#critical_level').fill('500');
  await page.getByRole('button', { name: 'Save settings' }).click();
  const error = page.locator('#critical_level-error');
  await error.waitFor({ state: 'visible' });
  assert.equal(await error.innerText(), 'must not be above the warning level (400)');
  // Another account's fields show their own values, without EU's error.
  await page.locator('#account-select').selectOption({ label: 'Main' });
  assert.equal(await page.locator('#warning_level').inputValue(), '50');
  assert.ok(await error.isHidden());
  assert.deepEqual(problems, []);
  await page.close();
});

test('accounts are added, renamed, reordered, unwatched and removed (after asking)', async () => {
  const { page, problems } = await openAccounts('#settings');
  const rows = page.locator('#account-list li');
  await rows.nth(2).waitFor();
  await page.locator('#new-account-name').fill('Asia');
  await page.getByRole('button', { name: 'Add account' }).click();
  assert.equal(await rows.count(), 4);
  assert.match(await page.locator('#token-status').innerText(), /Save the settings to add Asia/);
  assert.ok(await page.locator('#token').isDisabled());
  await page.getByLabel('Name of account 3').fill('Americas');
  await page.getByRole('button', { name: 'Move Asia up' }).click();
  await rows.nth(1).getByLabel('Watched').uncheck();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.locator('#settings-result').filter({ hasText: 'Saved' }).waitFor();
  const saved = (await calls(page)).filter(([cmd]) => cmd === 'save_settings').pop()[1].settings;
  assert.deepEqual(saved.accounts.map((a) => [a.id, a.name, a.enabled]),
    [['main', 'Main', true], ['eu', 'EU', false], ['', 'Asia', true], ['us-west', 'Americas', false]]);
  // Asia has its id now, and its token can be set.
  assert.ok(await page.locator('#token').isEnabled());

  await page.getByRole('button', { name: 'Remove Americas' }).click();
  const confirm = page.locator('#account-list .confirm');
  assert.match(await confirm.innerText(), /deletes its token from the keyring, its history and its alert state/);
  await confirm.getByRole('button', { name: 'Remove Americas' }).click();
  assert.equal(await rows.count(), 3);
  await page.getByRole('button', { name: 'Save settings' }).click();
  // The app's real answer here, which had no keyring to delete the token from.
  await page.locator('#settings-result').filter({ hasText: 'Americas was removed' }).waitFor();
  const removed = (await calls(page)).filter(([cmd]) => cmd === 'save_settings').pop()[1].settings;
  assert.deepEqual(removed.accounts.map((a) => a.id), ['main', 'eu', 'asia']);
  await page.screenshot({ path: path.join(artifacts, 'ui-accounts-settings.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('a chart of a few minutes or days names each time on its axis once', async () => {
  const { page, problems } = await open('snapshot-ok', { hash: '#history' });
  await page.locator('#chart svg[role="img"]').waitFor();
  const labels = await page.evaluate(async () => {
    const { renderChart } = await import('./chart.js');
    const ticksOf = (points) => {
      const box = document.createElement('div');
      renderChart(box, points, { warning: '100', critical: null }, 'credits');
      return [...box.querySelectorAll('.time-tick')].map((t) => t.textContent);
    };
    return [
      ticksOf([{ at: '2026-12-04T19:42:10Z', amount: '160' }, { at: '2026-12-04T19:45:40Z', amount: '30' }]),
      ticksOf([{ at: '2026-12-02T06:00:00Z', amount: '160' }, { at: '2026-12-05T06:00:00Z', amount: '30' }]),
    ];
  });
  for (const ticks of labels) {
    assert.ok(ticks.length >= 2, ticks.join(' | '));
    assert.equal(new Set(ticks).size, ticks.length, `a time named twice: ${ticks.join(' | ')}`);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('the history shows what was spent each day, top-ups aside', async () => {
  const { page, problems } = await open('snapshot-ok', { hash: '#history' });
  const spend = page.locator('#spend');
  await spend.waitFor();
  assert.match(await spend.locator('figcaption').innerText(), /Spent per day \(credits\)/);
  const bars = spend.locator('rect.spend-bar');
  assert.ok(await bars.count() >= 2, 'a bar a day');
  const rows = await spend.locator('table tr').allInnerTexts();
  assert.ok(rows.some((r) => r.includes('50') && r.includes('credits')), rows.join(' | '));
  const spent = await page.evaluate(async () => {
    const { spendPerDay } = await import('./chart.js');
    return spendPerDay([
      { at: '2026-11-20T08:00:00Z', amount: '100' }, { at: '2026-11-20T18:00:00Z', amount: '90' },
      { at: '2026-11-21T09:00:00Z', amount: '200' }, { at: '2026-11-21T20:00:00Z', amount: '170.50' },
    ]).map((d) => d.spent);
  });
  assert.deepEqual(spent, [10, 29.5], 'the top-up to 200 is not spending');
  assert.deepEqual(problems, []);
  await page.close();
});

test('team alerts: a channel is added, its address kept write-only, and a test alert sent', async () => {
  const { page, problems } = await open('snapshot-ok', { hash: '#settings', saves: 'save-settings-channels' });
  await page.getByRole('button', { name: 'Add channel' }).click();
  await page.locator('#channel-0-name').fill('team');
  await page.locator('#channel-0-kind').selectOption('json');
  const secret = 'https://hooks.example.com/services/T0/B0/browser-secret';
  await page.locator('#channel-0-secret').fill(secret);
  assert.equal(await page.locator('#channel-0-secret').getAttribute('type'), 'password');
  assert.ok(await page.getByRole('button', { name: 'Send test alert' }).isDisabled(), 'a test needs a saved channel');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.locator('#settings-result').filter({ hasText: 'Saved' }).waitFor();
  const sent = await calls(page);
  const saved = sent.find(([cmd]) => cmd === 'save_settings')[1].settings;
  assert.deepEqual(saved.alert_channels, [{ name: 'team', min_severity: 'warning', kind: 'webhook', format: 'json' }]);
  assert.ok(!JSON.stringify(saved).includes('browser-secret'), 'the address is not a setting');
  assert.deepEqual(sent.filter(([cmd]) => cmd === 'save_channel_secret'), [['save_channel_secret', { channel: 'team', secret }]]);
  assert.equal(await page.locator('#channel-0-secret').inputValue(), '');
  assert.match(await page.locator('#channel-0-secret-status').innerText(), /Its webhook address is stored in your keyring/);
  await page.getByRole('button', { name: 'Send test alert' }).click();
  await page.locator('#channel-0-result').filter({ hasText: 'A test alert was sent to "team" (JSON webhook).' }).waitFor();
  assert.ok(!(await page.content()).includes('browser-secret'));
  await page.locator('#channel-0-kind').selectOption('email');
  for (const field of ['host', 'port', 'security', 'username', 'from', 'to']) {
    assert.ok(await page.locator(`#channel-0-${field}`).isVisible(), `email's ${field}`);
  }
  await page.screenshot({ path: path.join(artifacts, 'ui-team-alerts.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the history is exported as CSV to the file chosen in the save dialog', async () => {
  const { page, problems } = await open('snapshot-ok', { hash: '#history' });
  await page.evaluate(() => { window.__savePath = '/tmp/clickatell-balance-export-fixture.csv'; });
  await page.getByRole('button', { name: 'Export CSV…' }).click();
  await page.locator('#export-result').filter({ hasText: 'Exported 2 readings to /tmp/clickatell-balance-export-fixture.csv.' }).waitFor();
  const dialog = await page.evaluate(() => window.__dialog);
  assert.deepEqual(dialog.filters, [{ name: 'CSV', extensions: ['csv'] }]);
  const exported = (await calls(page)).filter(([cmd]) => cmd === 'export_history');
  assert.deepEqual(exported, [['export_history', { path: '/tmp/clickatell-balance-export-fixture.csv', account: 'main' }]]);
  // Cancelling the dialog exports nothing.
  await page.evaluate(() => { window.__savePath = null; });
  await page.getByRole('button', { name: 'Export CSV…' }).click();
  await page.waitForFunction(() => window.__dialog && true);
  assert.equal((await calls(page)).filter(([cmd]) => cmd === 'export_history').length, 1);
  assert.deepEqual(problems, []);
  await page.close();
});
