/** Quantities in the product's own unit, without float noise (the core keeps thousandths). */
export function qty(value: number, unit?: string): string {
  const text = (Math.round(value * 1000) / 1000).toLocaleString(undefined, { maximumFractionDigits: 3 });
  return unit ? `${text} ${unit}` : text;
}

/** How much of a moment a screen shows, each in the window's own locale. */
const DATE_TIME_STYLE = {
  /** "Jan 2, 2024, 3:04 PM": lists and facts (imports, quarantine, receiving, watched folders). */
  minutes: { dateStyle: 'medium', timeStyle: 'short' },
  /** "Jan 2, 2024, 3:04:05 PM": ledger records, which come seconds apart. */
  seconds: { dateStyle: 'medium', timeStyle: 'medium' },
  /** "1/2/2024, 3:04:05 PM": the locale's default, as signatures, counts and accounts show it. */
  numeric: {},
  /** "1/2/2024". */
  date: { year: 'numeric', month: 'numeric', day: 'numeric' },
  /** "January 2, 2024": a date in a sentence ("decommissioned this serial on …"). */
  day: { year: 'numeric', month: 'long', day: 'numeric' },
  /** "3:04:05 PM": when a lock began or ends, the same day. */
  time: { hour: 'numeric', minute: 'numeric', second: 'numeric' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

/** The one way the renderer shows a moment: epoch milliseconds, an ISO string or a Date. */
export function formatDateTime(
  when: number | string | Date,
  style: keyof typeof DATE_TIME_STYLE = 'minutes',
): string {
  return new Date(when).toLocaleString(undefined, DATE_TIME_STYLE[style]);
}

export function shortHash(hash: string): string {
  return `${hash.slice(0, 12)}…`;
}

export const KIND_LABEL: Record<string, string> = {
  receipt: 'Receipt',
  dispense: 'Dispensing',
  return: 'Return to supplier',
  transfer: 'Transfer',
  destruction: 'Destruction',
  'theft-loss': 'Theft or loss',
  adjustment: 'Adjustment',
};

export const LOSS_LABEL: Record<string, string> = {
  'break-in-burglary': 'Break-in / burglary',
  'customer-theft': 'Customer theft',
  disaster: 'Disaster',
  'employee-theft': 'Employee theft',
  'hijacking-of-transport': 'Hijacking of transport',
  'loss-in-transit': 'Loss in transit',
  'packaging-discrepancy': 'Packaging discrepancy',
  robbery: 'Robbery',
  other: 'Other',
};

/** GS (ASCII 29) and other control characters made visible, as a scanner's output is hard to read otherwise. */
export function showControls(text: string): string {
  // eslint-disable-next-line no-control-regex -- showing control characters is the point
  return text.replace(/[\u0000-\u001f]/g, (c) => (c === '\u001d' ? '⟨GS⟩' : `⟨${c.charCodeAt(0)}⟩`));
}
