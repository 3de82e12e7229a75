// The history chart: an SVG line of the balance, the alert levels, and top-ups marked.
const NS = 'http://www.w3.org/2000/svg';
const W = 600;
const H = 260;
const PAD = { left: 56, right: 12, top: 12, bottom: 28 };

const el = (name, attrs = {}, text) => {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text != null) node.textContent = text;
  return node;
};

/** Draws `points` ([{at, amount}]) with the warning and critical levels into `container`. */
export function renderChart(container, points, levels) {
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
  const minY = Math.min(0, ...ys, ...levelValues);
  const maxY = Math.max(...ys, ...levelValues) * 1.05 || 1;
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const sx = (x) => PAD.left + ((x - x0) / (x1 - x0 || 1)) * (W - PAD.left - PAD.right);
  const sy = (y) => H - PAD.bottom - ((y - minY) / (maxY - minY || 1)) * (H - PAD.top - PAD.bottom);

  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': 'chart-title' });
  svg.append(el('title', { id: 'chart-title' },
    `Balance from ${points[0].amount} to ${points[points.length - 1].amount} over ${points.length} readings`));
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
  svg.append(el('text', { x: PAD.left - 6, y: sy(maxY) + 10, 'text-anchor': 'end', class: 'label' }, Math.round(maxY)));
  svg.append(el('text', { x: PAD.left - 6, y: sy(minY), 'text-anchor': 'end', class: 'label' }, Math.round(minY)));
  const day = (t) => new Date(t).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  svg.append(el('text', { x: PAD.left, y: H - 8, class: 'label' }, day(x0)));
  svg.append(el('text', { x: W - PAD.right, y: H - 8, 'text-anchor': 'end', class: 'label' }, day(x1)));
  container.append(svg);
}
