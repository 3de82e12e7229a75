// The history chart: an SVG line of the balance with value and date ticks, the alert levels,
// top-ups marked, and a crosshair (pointer, or arrow keys once focused) reading out the exact
// value and time of the nearest reading; below it, what was spent each day.
import { dateTime, formatAmount } from './format.js';

const NS = 'http://www.w3.org/2000/svg';
const W = 600;
const H = 260;
const PAD = { left: 64, right: 12, top: 20, bottom: 28 };
const HOUR = 3600e3;

const el = (name, attrs = {}, text) => {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text != null) node.textContent = text;
  return node;
};

/** Round values for a value axis: about `count` steps of 1, 2, 2.5 or 5 times a power of ten. */
export function valueTicks(min, max, count = 4) {
  const raw = (max - min || 1) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw);
  const ticks = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) {
    ticks.push(Number(v.toPrecision(12)));
  }
  return ticks;
}

/** A time label that suits the span shown: the hour within a day and a half, else the date. */
function timeLabel(t, span) {
  return span <= 36 * HOUR
    ? new Date(t).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    : new Date(t).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

/** Draws `points` ([{at, amount}]) in `unit` with the warning and critical levels into
 * `container`, with a readout below it for the crosshair. */
export function renderChart(container, points, levels, unit) {
  container.replaceChildren();
  if (points.length < 2) {
    const empty = document.createElement('p');
    empty.className = 'empty';
    empty.textContent = points.length === 0
      ? 'No readings in this range yet. The chart fills in as the balance is checked.'
      : 'Only one reading in this range so far.';
    container.append(empty);
    return;
  }
  const xs = points.map((p) => Date.parse(p.at));
  const ys = points.map((p) => Number(p.amount));
  const levelValues = [levels.warning, levels.critical].filter((v) => v != null).map(Number);
  const [minY, maxY] = [Math.min(0, ...ys, ...levelValues), Math.max(...ys, ...levelValues) * 1.05 || 1];
  const ticks = valueTicks(minY, maxY);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const sx = (x) => PAD.left + ((x - x0) / (x1 - x0 || 1)) * (W - PAD.left - PAD.right);
  const sy = (y) => H - PAD.bottom - ((y - minY) / (maxY - minY || 1)) * (H - PAD.top - PAD.bottom);

  const svg = el('svg', {
    viewBox: `0 0 ${W} ${H}`, role: 'img', tabindex: '0', 'aria-labelledby': 'chart-title',
    'aria-describedby': 'chart-readout',
  });
  svg.append(el('title', { id: 'chart-title' },
    `Balance from ${points[0].amount} to ${points[points.length - 1].amount} ${unit} over ${points.length} readings; `
    + 'use the arrow keys to read each one'));
  svg.append(el('text', { x: PAD.left - 6, y: PAD.top - 8, 'text-anchor': 'end', class: 'label unit' }, unit));
  for (const value of ticks) {
    const y = sy(value);
    svg.append(el('line', { x1: PAD.left, x2: W - PAD.right, y1: y, y2: y, class: 'grid' }));
    svg.append(el('text', { x: PAD.left - 6, y: y + 4, 'text-anchor': 'end', class: 'label value-tick' },
      formatAmount(String(value))));
  }
  const timeTicks = 4;
  let previous = null;
  for (let i = 0; i <= timeTicks; i += 1) {
    const t = x0 + ((x1 - x0) * i) / timeTicks;
    // A span of a few minutes (or days) has ticks within one label's unit: each label once.
    const label = timeLabel(t, x1 - x0);
    if (label === previous) continue;
    previous = label;
    const anchor = i === 0 ? 'start' : i === timeTicks ? 'end' : 'middle';
    svg.append(el('text', { x: sx(t), y: H - 8, 'text-anchor': anchor, class: 'label time-tick' }, label));
  }
  for (const [value, cls, name] of [[levels.warning, 'level-warning', 'warning'], [levels.critical, 'level-critical', 'critical']]) {
    if (value == null) continue;
    const y = sy(Number(value));
    svg.append(el('line', { x1: PAD.left, x2: W - PAD.right, y1: y, y2: y, class: cls }));
    svg.append(el('text', { x: W - PAD.right, y: y - 4, 'text-anchor': 'end', class: 'label' }, `${name} ${value}`));
  }
  svg.append(el('polyline', {
    class: 'series',
    points: points.map((p, i) => `${sx(xs[i]).toFixed(1)},${sy(ys[i]).toFixed(1)}`).join(' '),
  }));
  points.forEach((p, i) => {
    if (i > 0 && ys[i] > ys[i - 1] * 1.01) {
      const marker = el('circle', { cx: sx(xs[i]), cy: sy(ys[i]), r: 5, class: 'top-up' });
      marker.append(el('title', {}, `Top-up: ${points[i - 1].amount} → ${p.amount}`));
      svg.append(marker);
    }
  });

  const cross = el('g', { class: 'crosshair', visibility: 'hidden' });
  const vertical = el('line', { y1: PAD.top, y2: H - PAD.bottom });
  const dot = el('circle', { r: 4 });
  cross.append(vertical, dot);
  svg.append(cross);
  const readout = document.createElement('p');
  readout.id = 'chart-readout';
  readout.className = 'readout';
  readout.setAttribute('aria-live', 'polite');
  readout.textContent = 'Point at the chart, or focus it and use the arrow keys, to read a value.';

  let selected = null;
  const select = (i) => {
    selected = Math.max(0, Math.min(points.length - 1, i));
    const [x, y] = [sx(xs[selected]), sy(ys[selected])];
    for (const [k, v] of [['x1', x], ['x2', x]]) vertical.setAttribute(k, v);
    dot.setAttribute('cx', x);
    dot.setAttribute('cy', y);
    cross.setAttribute('visibility', 'visible');
    readout.textContent = `${formatAmount(points[selected].amount)} ${unit} · ${dateTime(points[selected].at)}`;
  };
  const nearest = (x) => xs.reduce((best, t, i) => (Math.abs(sx(t) - x) < Math.abs(sx(xs[best]) - x) ? i : best), 0);
  svg.addEventListener('pointermove', (event) => {
    const box = svg.getBoundingClientRect();
    select(nearest(((event.clientX - box.left) / box.width) * W));
  });
  svg.addEventListener('keydown', (event) => {
    const moves = {
      ArrowLeft: (i) => i - 1, ArrowRight: (i) => i + 1, Home: () => 0, End: () => points.length - 1,
    };
    if (!moves[event.key]) return;
    event.preventDefault();
    select(moves[event.key](selected ?? points.length));
  });
  container.append(svg, readout, spendFigure(points, unit));
}

/** The local date of a time, as YYYY-MM-DD: from the date's parts, never from a locale's
 * format: WebKitGTK's 'en-CA' dates under an en_US locale do not read back as dates. */
function localDay(iso) {
  const at = new Date(iso);
  const two = (n) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}`;
}

/** What was spent each day (local dates), oldest first: the falls between readings, each
 * counted on the day of the later reading; a top-up is not spending. */
export function spendPerDay(points) {
  const days = new Map();
  for (let i = 1; i < points.length; i += 1) {
    const fall = Number(points[i - 1].amount) - Number(points[i].amount);
    const day = localDay(points[i].at);
    days.set(day, (days.get(day) ?? 0) + Math.max(0, fall));
  }
  return [...days].map(([day, spent]) => ({ day, spent }));
}

/** The spend per day as bars, with the figures in a table for screen readers. */
function spendFigure(points, unit) {
  const spend = spendPerDay(points);
  const figure = document.createElement('figure');
  figure.className = 'spend';
  figure.id = 'spend';
  const caption = document.createElement('figcaption');
  caption.textContent = `Spent per day (${unit})`;
  figure.append(caption);
  const height = 60;
  const most = Math.max(...spend.map((d) => d.spent), 0) || 1;
  const width = Math.max(1, spend.length);
  const bars = el('svg', { viewBox: `0 0 ${width * 10} ${height}`, preserveAspectRatio: 'none', 'aria-hidden': 'true' });
  const label = (d) => `${new Date(`${d.day}T12:00`).toLocaleDateString(undefined, { month: 'short', day: 'numeric' })}: `
    + `${formatAmount(d.spent.toFixed(2))} ${unit}`;
  spend.forEach((d, i) => {
    const h = (d.spent / most) * (height - 2);
    const bar = el('rect', { x: i * 10 + 1, y: height - h, width: 8, height: h, class: 'spend-bar' });
    bar.append(el('title', {}, label(d)));
    bars.append(bar);
  });
  const table = document.createElement('table');
  table.className = 'visually-hidden';
  for (const d of spend) {
    const row = table.insertRow();
    row.insertCell().textContent = new Date(`${d.day}T12:00`).toLocaleDateString(undefined, { dateStyle: 'medium' });
    row.insertCell().textContent = `${formatAmount(d.spent.toFixed(2))} ${unit}`;
  }
  const summary = document.createElement('p');
  summary.className = 'muted';
  if (spend.length) {
    const top = spend.reduce((a, b) => (b.spent > a.spent ? b : a));
    const average = spend.reduce((sum, d) => sum + d.spent, 0) / spend.length;
    summary.textContent = `On average ${formatAmount(average.toFixed(2))} ${unit} a day; the most, ${label(top)}.`;
  }
  figure.append(bars, summary, table);
  return figure;
}
