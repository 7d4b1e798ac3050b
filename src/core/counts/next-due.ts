/**
 * The next biennial inventory is due within two years of the previous inventory (initial or
 * biennial), 21 CFR 1304.11(c); the dashboard warns 60 days ahead.
 */
export const DUE_SOON_DAYS = 60;

export interface NextDue {
  readonly state: 'initial-missing' | 'ok' | 'due-soon' | 'overdue';
  readonly lastInventory: { kind: 'initial' | 'biennial'; date: string } | null;
  readonly dueBy: string | null;
  readonly daysLeft: number | null;
}

export function nextDue(last: { kind: 'initial' | 'biennial'; date: string } | null, today: string): NextDue {
  if (last === null) return { state: 'initial-missing', lastInventory: null, dueBy: null, daysLeft: null };
  const [y, m, d] = last.date.split('-').map(Number) as [number, number, number];
  // Two calendar years later; 29 February falls back to 28 February in a common year.
  const due = new Date(Date.UTC(y + 2, m - 1, d));
  if (due.getUTCMonth() !== m - 1) due.setUTCDate(0);
  const dueBy = due.toISOString().slice(0, 10);
  const daysLeft = Math.round((due.getTime() - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
  const state = daysLeft < 0 ? 'overdue' : daysLeft <= DUE_SOON_DAYS ? 'due-soon' : 'ok';
  return { state, lastInventory: last, dueBy, daysLeft };
}
