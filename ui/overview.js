// The overview: the balance at a glance, its state, age, forecast and what to do when wrong.
import { ago, dateTime, formatAmount, unitOf, until } from './format.js';

const labels = {
  starting: 'Checking…', ok: 'OK', warning: 'Low', critical: 'Critical', stale: 'Out of date',
  'token-missing': 'No token', 'token-rejected': 'Token rejected', offline: 'Offline',
  'rate-limited': 'Rate limited', error: 'Error',
};

const fixes = {
  'token-missing': ['Add your API token in Settings.', '#settings'],
  'token-rejected': ['Paste a new token from the Clickatell portal in Settings.', '#settings'],
};

const $ = (id) => document.getElementById(id);

/** Shows a snapshot; `now` keeps the ages ticking between snapshots. */
export function renderOverview(snapshot, now = Date.now()) {
  const badge = $('state-badge');
  badge.dataset.status = snapshot.status;
  badge.textContent = labels[snapshot.status] || snapshot.status;

  const balance = $('balance');
  if (snapshot.balance) {
    balance.textContent = `${formatAmount(snapshot.balance.amount)} ${unitOf(snapshot.balance)}`;
    balance.title = `Exact: ${snapshot.balance.amount} ${unitOf(snapshot.balance)}`;
  } else {
    balance.textContent = '—';
    balance.title = '';
  }
  $('updated').textContent = snapshot.fetched_at
    ? `Updated ${ago(snapshot.fetched_at, now)} (${dateTime(snapshot.fetched_at)})` : '';
  $('next-poll').textContent = snapshot.next_poll_at
    ? `Next check ${until(snapshot.next_poll_at, now)}` : '';
  $('forecast').textContent = forecastText(snapshot.forecast);

  // A first run (no token yet) shows the welcome alone: it already says what is missing.
  const firstRun = snapshot.status === 'token-missing';
  $('first-run').hidden = !firstRun;
  $('balance-card').hidden = firstRun;
  $('refresh-row').hidden = firstRun;
  const problem = $('problem');
  const text = [snapshot.error, snapshot.notification_error].filter(Boolean).join(' ');
  problem.hidden = !text || firstRun;
  $('problem-text').textContent = text;
  const fix = fixes[snapshot.status];
  const fixEl = $('problem-fix');
  fixEl.replaceChildren();
  if (fix) {
    const link = document.createElement('a');
    link.href = fix[1];
    link.textContent = fix[0];
    fixEl.append(link);
  }
}

function forecastText(forecast) {
  if (!forecast || forecast.burn_per_day == null) return '';
  if (forecast.days_to_zero == null) return 'No usage lately.';
  const days = Math.round(forecast.days_to_zero);
  return days < 1 ? 'Less than a day left at current usage.' : `≈ ${days} days left at current usage.`;
}
