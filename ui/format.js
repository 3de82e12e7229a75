// Numbers and times for people, in the user's locale. Amounts arrive as exact strings.

/** "1267.92865" → "1,267.93" (at most two decimals shown, at least as many as given). */
export function formatAmount(amount) {
  const decimals = (amount.split('.')[1] || '').length;
  return new Intl.NumberFormat(undefined, {
    minimumFractionDigits: Math.min(decimals, 2),
    maximumFractionDigits: 2,
  }).format(Number(amount));
}

export const unitOf = (balance) => balance.currency || 'credits';

/** "just now", "2 min ago", "3 h ago", "2 days ago". */
export function ago(iso, now = Date.now()) {
  const seconds = Math.max(0, (now - Date.parse(iso)) / 1000);
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 48 * 3600) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} days ago`;
}

/** "in 4 min", "in 2 h". */
export function until(iso, now = Date.now()) {
  const seconds = Math.max(0, (Date.parse(iso) - now) / 1000);
  if (seconds < 60) return 'in less than a minute';
  if (seconds < 3600) return `in ${Math.ceil(seconds / 60)} min`;
  return `in ${Math.round(seconds / 3600)} h`;
}

export const dateTime = (iso) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
