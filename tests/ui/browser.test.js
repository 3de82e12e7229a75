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
      const same = ({ settings }) => settings.accounts[0].warning_level === sent.accounts[0].warning_level
        && settings.accounts[0].critical_level === sent.accounts[0].critical_level;
      const recorded = responses.__saveSettings.find(same);
      if (!recorded) return { error: { message: `no recorded answer for ${JSON.stringify(sent)}`, fields: [] } };
      return recorded.reply;
    }
    if (cmd === 'get_history') return args.range === '24h' ? responses.__historyEmpty : responses.get_history;
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
    event: {
      listen: async (name, handler) => {
        (window.__listeners[name] ||= []).push(handler);
        return () => {};
      },
    },
  };
  window.__emit = (name, payload) => (window.__listeners[name] || []).forEach((h) => h({ payload }));
}

async function open(snapshotName, { width = 440, hash = '' } = {}) {
  const responses = {
    get_snapshot: { value: await fixture(snapshotName) },
    refresh_now: { value: await fixture(snapshotName) },
    get_settings: { value: await fixture('settings') },
    field_limits: { value: await fixture('field-limits') },
    token_status: { value: { ...(await fixture('token-status')), stored: snapshotName !== 'snapshot-token-missing' } },
    test_token: { value: await fixture('balance') },
    save_token: { value: await fixture('token-status') },
    get_history: { value: await fixture('history') },
    send_test_notification: { value: null },
    __historyEmpty: { value: await fixture('history-empty') },
    __saveSettings: await fixture('save-settings'),
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

test("the number fields' ranges are the backend's limits, in the unit each shows", async () => {
  const { page } = await open('snapshot-ok', { hash: '#settings' });
  const range = async (id) => page.locator(`#${id}`).evaluate((n) => [n.min, n.max]);
  await page.locator('#poll_interval[max]').waitFor({ state: 'attached' });
  assert.deepEqual(await range('poll_interval'), ['1', '1440']);
  assert.deepEqual(await range('reminder_hours'), ['1', '168']);
  assert.deepEqual(await range('forecast_days'), ['1', '60']);
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
  const svg = page.locator('#chart svg');
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

test('the tray icon style and the top-up page are settings', async () => {
  const { page } = await open('snapshot-ok', { hash: '#settings' });
  await page.locator('#tray_icon').waitFor();
  assert.equal(await page.locator('#tray_icon').inputValue(), 'balance');
  assert.equal(await page.locator('#top_up_url').inputValue(), 'https://portal.clickatell.com/');
  const options = await page.locator('#tray_icon option').evaluateAll((o) => o.map((x) => x.value));
  assert.deepEqual(options, ['balance', 'meter', 'symbol']);
  await page.close();
});
