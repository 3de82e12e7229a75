// The overview: the balance at a glance, its state, age, forecast and what to do when wrong.
// The words for the state, the age and the forecast come with the snapshot (`texts`, from
// the core, re-sent as they age); only the amount and the date are formatted here, in the
// user's locale.
import { dateTime, formatAmount, unitOf } from './format.js';

/** What the Refresh button does in each state: a locked keyring is asked again. */
const refreshLabel = (status) => (status === 'keyring-locked' ? 'Unlock keyring…' : 'Refresh now');

const $ = (id) => document.getElementById(id);

/** Shows a snapshot. */
export function renderOverview(snapshot) {
  const texts = snapshot.texts || {};
  const badge = $('state-badge');
  badge.dataset.status = snapshot.status;
  badge.textContent = texts.state || '';

  const balance = $('balance');
  if (snapshot.balance) {
    balance.textContent = `${formatAmount(snapshot.balance.amount)} ${unitOf(snapshot.balance)}`;
    balance.title = `Exact: ${snapshot.balance.amount} ${unitOf(snapshot.balance)}`;
  } else {
    balance.textContent = '—';
    balance.title = '';
  }
  $('updated').textContent = texts.updated && snapshot.fetched_at
    ? `${texts.updated} (${dateTime(snapshot.fetched_at)})` : '';
  $('next-poll').textContent = texts.next_check || '';
  $('forecast').textContent = texts.forecast || '';

  // A first run (no token yet) shows the welcome alone: it already says what is missing.
  const firstRun = snapshot.status === 'token-missing';
  $('first-run').hidden = !firstRun;
  $('balance-card').hidden = firstRun;
  $('refresh-row').hidden = firstRun;
  $('refresh').textContent = refreshLabel(snapshot.status);
  const problem = $('problem');
  const text = [snapshot.error, snapshot.notification_error, ...(snapshot.alerts_failing || [])]
    .filter(Boolean).join(' ');
  problem.hidden = !text || firstRun;
  $('problem-text').textContent = text;
  // What to do, in the window's words (from the core, as the other texts): each points
  // into Settings.
  const fixEl = $('problem-fix');
  fixEl.replaceChildren();
  if (texts.fix) {
    const link = document.createElement('a');
    link.href = '#settings';
    link.textContent = texts.fix;
    fixEl.append(link);
  }
}
