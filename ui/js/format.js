// How dates read: "Apr 13" within the current year, "Apr 13, 2025" otherwise; ISO only in exports.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `iso` is YYYY-MM-DD; `today` is YYYY-MM-DD too (the app's "as of" date). */
export function shortDate(iso, today) {
  if (!iso) return '';
  const [y, m, d] = iso.split('-').map(Number);
  const sameYear = today && Number(today.slice(0, 4)) === y;
  return `${MONTHS[m - 1]} ${d}${sameYear ? '' : `, ${y}`}`;
}

/** An RFC 3339 instant, shown in the user's local time. */
export function localTime(instant) {
  const t = new Date(instant);
  if (Number.isNaN(t.getTime())) return instant;
  const pad = (n) => String(n).padStart(2, '0');
  return `${MONTHS[t.getMonth()]} ${t.getDate()}, ${t.getFullYear()} ${pad(t.getHours())}:${pad(t.getMinutes())}`;
}

export function percent(part, whole) {
  if (!whole) return '';
  return `${Math.round((100 * part) / whole)}%`;
}
