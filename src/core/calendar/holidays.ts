/*
 * The US federal holidays, the one calendar every deadline counted in business days uses (the
 * DSCSA request clocks here, the DEA deadlines next). Pure functions over civil dates written
 * `YYYY-MM-DD`; nothing reads the clock, the time zone or the locale of the machine.
 *
 * The holidays are the eleven of 5 U.S.C. 6103(a). When one falls on a Saturday it is observed on
 * the Friday before, on a Sunday the Monday after (5 U.S.C. 6103(b); Executive Order 11582), so
 * New Year's Day 2022 (a Saturday) was observed on Friday 31 December 2021. One-off closures by
 * executive order (a day of mourning, Christmas Eve in some years) are not holidays of the statute
 * and are not in this calendar.
 */

export interface Holiday {
  /** The day it is observed (a weekday), `YYYY-MM-DD`. */
  readonly observed: string;
  /** The day itself, `YYYY-MM-DD` (a weekend day when observed on another). */
  readonly date: string;
  readonly name: string;
}

type Rule =
  | { readonly name: string; readonly month: number; readonly day: number; readonly since?: number }
  | {
      readonly name: string;
      readonly month: number;
      /** 0 = Sunday … 6 = Saturday. */
      readonly weekday: number;
      /** 1 = first, 2 = second …, -1 = last of the month. */
      readonly nth: number;
      readonly since?: number;
    };

/** 5 U.S.C. 6103(a), in calendar order; `since` for the holidays added later. */
const RULES: readonly Rule[] = [
  { name: "New Year's Day", month: 1, day: 1 },
  { name: 'Birthday of Martin Luther King, Jr.', month: 1, weekday: 1, nth: 3, since: 1986 },
  { name: "Washington's Birthday", month: 2, weekday: 1, nth: 3 },
  { name: 'Memorial Day', month: 5, weekday: 1, nth: -1 },
  { name: 'Juneteenth National Independence Day', month: 6, day: 19, since: 2021 },
  { name: 'Independence Day', month: 7, day: 4 },
  { name: 'Labor Day', month: 9, weekday: 1, nth: 1 },
  { name: 'Columbus Day', month: 10, weekday: 1, nth: 2 },
  { name: 'Veterans Day', month: 11, day: 11 },
  { name: 'Thanksgiving Day', month: 11, weekday: 4, nth: 4 },
  { name: 'Christmas Day', month: 12, day: 25 },
];

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a civil date (no time zone: the date as written). */
export function dayNumber(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (m === null) throw new RangeError(`not a date: ${date}`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const back = fromDayNumber(ms / DAY_MS);
  if (back !== date) throw new RangeError(`not a date: ${date}`);
  return ms / DAY_MS;
}

/** The civil date of a day number. */
export function fromDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: string): number {
  return new Date(dayNumber(date) * DAY_MS).getUTCDay();
}

export function addDays(date: string, days: number): string {
  return fromDayNumber(dayNumber(date) + days);
}

const pad = (n: number) => String(n).padStart(2, '0');

function dateOf(rule: Rule, year: number): string {
  if ('day' in rule) return `${year}-${pad(rule.month)}-${pad(rule.day)}`;
  if (rule.nth > 0) {
    const first = `${year}-${pad(rule.month)}-01`;
    const shift = (rule.weekday - weekdayOf(first) + 7) % 7;
    return addDays(first, shift + (rule.nth - 1) * 7);
  }
  const nextMonth = rule.month === 12 ? `${year + 1}-01-01` : `${year}-${pad(rule.month + 1)}-01`;
  const last = addDays(nextMonth, -1);
  return addDays(last, -((weekdayOf(last) - rule.weekday + 7) % 7));
}

function observedOf(date: string): string {
  const weekday = weekdayOf(date);
  return weekday === 6 ? addDays(date, -1) : weekday === 0 ? addDays(date, 1) : date;
}

/** The holidays of a year's statute dates, with the day each is observed (which may fall in the year before). */
export function holidaysOf(year: number): Holiday[] {
  return RULES.filter((rule) => rule.since === undefined || year >= rule.since).map((rule) => {
    const date = dateOf(rule, year);
    return { date, observed: observedOf(date), name: rule.name };
  });
}

/** The holiday observed on this date, if any (New Year's Day of the next year included). */
export function holidayObservedOn(date: string): Holiday | undefined {
  const year = Number(date.slice(0, 4));
  return [...holidaysOf(year), ...holidaysOf(year + 1)].find((h) => h.observed === date);
}

/** Monday to Friday, and no federal holiday observed that day. */
export function isBusinessDay(date: string): boolean {
  const weekday = weekdayOf(date);
  return weekday !== 0 && weekday !== 6 && holidayObservedOn(date) === undefined;
}

/** The `n`th business day after `date` (n ≥ 1; `date` itself never counts). */
export function addBusinessDays(date: string, n: number): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError('count at least one business day');
  let day = date;
  for (let counted = 0; counted < n;) {
    day = addDays(day, 1);
    if (isBusinessDay(day)) counted += 1;
  }
  return day;
}
