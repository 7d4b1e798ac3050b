import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  dateIn,
  endOfBusinessDays,
  endOfDate,
  holidayObservedOn,
  holidaysOf,
  isBusinessDay,
  startOfDate,
} from '../../src/core/calendar';

/*
 * The observed-day rule is 5 U.S.C. 6103(b) with Executive Order 11582, as OPM's guidance applies it
 * (quoted by FedSmith, 18 June 2021: Juneteenth, a Saturday that year, observed "June 18
 * (Friday)"); OPM's 2012 list (FedSmith, 2 January 2012) has "Monday, January 2 – New Year's Day"
 * and "Monday, November 12 – Veterans Day", both Sunday holidays moved to the Monday.
 */
describe('the US federal holiday calendar (5 U.S.C. 6103)', () => {
  it('lists the eleven holidays of 2026 on the days OPM observes them', () => {
    expect(holidaysOf(2026).map((h) => `${h.observed} ${h.name}`)).toEqual([
      "2026-01-01 New Year's Day",
      '2026-01-19 Birthday of Martin Luther King, Jr.',
      "2026-02-16 Washington's Birthday",
      '2026-05-25 Memorial Day',
      '2026-06-19 Juneteenth National Independence Day',
      '2026-07-03 Independence Day',
      '2026-09-07 Labor Day',
      '2026-10-12 Columbus Day',
      '2026-11-11 Veterans Day',
      '2026-11-26 Thanksgiving Day',
      '2026-12-25 Christmas Day',
    ]);
  });

  it('moves a Saturday holiday to the Friday before and a Sunday one to the Monday after', () => {
    // 1 January 2022 was a Saturday: observed Friday 31 December 2021, in the year before.
    expect(holidayObservedOn('2021-12-31')).toEqual({
      date: '2022-01-01',
      observed: '2021-12-31',
      name: "New Year's Day",
    });
    expect(isBusinessDay('2021-12-31')).toBe(false);
    // Juneteenth 2022 fell on a Sunday: observed Monday 20 June.
    expect(holidayObservedOn('2022-06-20')?.name).toBe('Juneteenth National Independence Day');
    // 2027: Juneteenth (Saturday) on Friday 18 June, Independence Day (Sunday) on Monday 5 July,
    // Christmas (Saturday) on Friday 24 December, and New Year's Day 2028 (Saturday) on Friday 31 December.
    expect(['2027-06-18', '2027-07-05', '2027-12-24', '2027-12-31'].map(isBusinessDay)).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(isBusinessDay('2027-12-30')).toBe(true);
  });

  it("matches OPM's 2012 list, two of its holidays moved from a Sunday", () => {
    expect(holidaysOf(2012).map((h) => h.observed)).toEqual([
      '2012-01-02',
      '2012-01-16',
      '2012-02-20',
      '2012-05-28',
      '2012-07-04',
      '2012-09-03',
      '2012-10-08',
      '2012-11-12',
      '2012-11-22',
      '2012-12-25',
    ]);
  });

  it('has no Juneteenth before 2021 and no Dr. King holiday before 1986', () => {
    expect(holidaysOf(2020).some((h) => h.name.startsWith('Juneteenth'))).toBe(false);
    expect(holidaysOf(2021).find((h) => h.name.startsWith('Juneteenth'))?.observed).toBe('2021-06-18');
    expect(holidaysOf(1985).some((h) => h.name.includes('King'))).toBe(false);
    expect(holidaysOf(2024).find((h) => h.name === 'Thanksgiving Day')?.observed).toBe('2024-11-28');
    expect(holidaysOf(2024).find((h) => h.name === 'Memorial Day')?.observed).toBe('2024-05-27');
  });

  it('counts business days over weekends and observed holidays', () => {
    // Friday 15 January 2027, then the weekend and Dr. King's birthday (Monday 18 January).
    expect(addBusinessDays('2027-01-15', 1)).toBe('2027-01-19');
    // Wednesday 25 November 2026: Thanksgiving Thursday, so Friday 27 is the first business day.
    expect(addBusinessDays('2026-11-25', 1)).toBe('2026-11-27');
    expect(addBusinessDays('2026-11-25', 2)).toBe('2026-11-30');
    // Thursday 2 July 2026: Friday 3 July is Independence Day observed.
    expect(addBusinessDays('2026-07-02', 1)).toBe('2026-07-06');
    // A Saturday request: Monday is the first business day after it.
    expect(addBusinessDays('2026-03-07', 1)).toBe('2026-03-09');
  });

  it('finds civil dates and day boundaries in a named zone, across daylight saving changes', () => {
    const tz = 'America/Chicago';
    // 8 March 2026, 01:30 CST is 07:30 UTC; clocks spring forward at 02:00 that day.
    expect(dateIn(Date.UTC(2026, 2, 8, 7, 30), tz)).toBe('2026-03-08');
    expect(dateIn(Date.UTC(2026, 2, 8, 5, 59), tz)).toBe('2026-03-07');
    expect(new Date(startOfDate('2026-03-08', tz)).toISOString()).toBe('2026-03-08T06:00:00.000Z');
    // The day after is CDT (UTC-5).
    expect(new Date(startOfDate('2026-03-09', tz)).toISOString()).toBe('2026-03-09T05:00:00.000Z');
    expect(new Date(endOfDate('2026-03-08', tz)).toISOString()).toBe('2026-03-09T04:59:59.999Z');
    expect(new Date(endOfDate('2026-11-01', tz)).toISOString()).toBe('2026-11-02T05:59:59.999Z');
  });

  it('ends "within N business days" at the end of the Nth business day after the day of arrival', () => {
    // Friday 3 July 2026 is Independence Day observed: a Thursday-evening arrival in Chicago
    // (Friday in UTC) is due at the end of Monday 6 July, Chicago time.
    const thursdayEvening = Date.parse('2026-07-03T02:30:00Z');
    expect(new Date(endOfBusinessDays(thursdayEvening, 'America/Chicago', 1)).toISOString()).toBe(
      '2026-07-07T04:59:59.999Z',
    );
  });
});
