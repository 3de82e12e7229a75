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

export const dateTime = (iso) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
