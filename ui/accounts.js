// Several accounts: a card per account on the overview (balance, state, age, forecast and a
// sparkline of the last 7 days), and which account the window shows. With one account there
// are no cards: the window looks as it always did.
import { formatAmount, unitOf } from './format.js';

const NS = 'http://www.w3.org/2000/svg';
const $ = (id) => document.getElementById(id);

let selected = null;
let cards = [];
const listeners = [];

/** The id of the account the window shows (null until the accounts are known). */
export const selectedAccount = () => selected;

/** Of `list` (cards or accounts, in order), the account the window shows: the one chosen,
 * else the first watched, else the first. */
export const shownIn = (list) => list.find((a) => a.id === selected)
  ?? list.find((a) => a.enabled) ?? list[0];

/** The card of the account the window shows. */
export const selectedCard = () => cards.find((c) => c.id === selected) ?? null;

/** Whether several accounts are set up. */
export const several = () => cards.length > 1;

/** Calls `handler(card)` whenever another account is chosen. */
export const onSelect = (handler) => listeners.push(handler);

/** Shows account `id` (if there is one by that id). */
export function select(id) {
  if (!cards.some((c) => c.id === id) || id === selected) return;
  selected = id;
  draw();
  for (const handler of listeners) handler(selectedCard());
}

function sparkline(points) {
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '0 0 100 24');
  svg.setAttribute('class', 'sparkline');
  svg.setAttribute('aria-hidden', 'true');
  if (points.length < 2) return svg;
  const ts = points.map((p) => Date.parse(p.at));
  const vs = points.map((p) => Number(p.amount));
  const [t0, t1] = [Math.min(...ts), Math.max(...ts)];
  const [v0, v1] = [Math.min(...vs), Math.max(...vs)];
  const x = (t) => ((t - t0) / ((t1 - t0) || 1)) * 100;
  const y = (v) => 22 - ((v - v0) / ((v1 - v0) || 1)) * 20;
  const path = document.createElementNS(NS, 'polyline');
  path.setAttribute('points', points.map((p, i) => `${x(ts[i]).toFixed(1)},${y(vs[i]).toFixed(1)}`).join(' '));
  svg.append(path);
  return svg;
}

function card(c) {
  const item = document.createElement('li');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'account-card';
  button.dataset.account = c.id;
  button.setAttribute('aria-pressed', String(c.id === selected));
  const line = (cls, text) => {
    const span = document.createElement('span');
    span.className = cls;
    span.textContent = text;
    button.append(span);
    return span;
  };
  line('name', c.name);
  const s = c.snapshot;
  const badge = line('badge', s ? s.texts.state : 'Disabled');
  badge.dataset.status = s ? s.status : 'disabled';
  line('amount', s && s.balance ? `${formatAmount(s.balance.amount)} ${unitOf(s.balance)}` : '—');
  line('muted', s ? (s.texts.updated || s.texts.next_check || '') : 'Not watched');
  if (s && s.texts.forecast) line('muted', s.texts.forecast);
  button.append(sparkline(c.sparkline));
  button.addEventListener('click', () => select(c.id));
  item.append(button);
  return item;
}

function draw() {
  $('accounts').hidden = !several();
  $('account-cards').replaceChildren(...(several() ? cards.map(card) : []));
  const shown = selectedCard();
  $('account-title').hidden = !several() || !shown;
  $('account-title').textContent = shown ? shown.name : '';
}

/** Takes the accounts view (`get_accounts`): draws the cards, keeps the account shown (or
 * shows the one the tray asked for, else the first watched), and returns the shown card. */
export function renderAccounts(view) {
  cards = view.cards;
  const previous = selected;
  if (view.focus && cards.some((c) => c.id === view.focus)) selected = view.focus;
  selected = shownIn(cards)?.id ?? null;
  draw();
  if (previous !== null && previous !== selected) {
    for (const handler of listeners) handler(selectedCard());
  }
  return selectedCard();
}
