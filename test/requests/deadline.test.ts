import { describe, expect, it } from 'vitest';
import { deadlineInForce, statutoryDeadline } from '../../src/core/requests/deadline';

const NY = 'America/New_York';
const iso = (ms: number) => new Date(ms).toISOString();
/** 10:00 in New York on a date of 2026/2027 (EST, UTC-5, in winter; EDT, UTC-4, in summer). */
const at = (date: string, hourUtc: number) =>
  Date.parse(`${date}T${String(hourUtc).padStart(2, '0')}:00:00Z`);

describe('when the answer to a records request is due', () => {
  it('FSMA 204: 24 hours from the request, weekends and holidays included', () => {
    // Thursday 31 December 2026, 10:00 EST: due Friday 1 January 2027 (a holiday), 10:00 EST.
    const d = statutoryDeadline({ regime: 'fsma-204', receivedMs: at('2026-12-31', 15), timeZone: NY });
    expect(iso(d.dueMs)).toBe('2027-01-01T15:00:00.000Z');
    expect(d.basis).toMatch(/1\.1455\(c\)\(3\)/);
  });

  it('DSCSA wholesaler: one business day, but the 48 hours end first across a Monday holiday', () => {
    // Friday 15 January 2027, 10:00 EST. One business day: Tuesday 19 January (Monday is Dr. King's
    // birthday), end of day. 48 hours: Sunday 17 January 10:00 EST, which comes first.
    const d = statutoryDeadline({
      regime: 'dscsa',
      respondent: 'wholesaler',
      receivedMs: at('2027-01-15', 15),
      timeZone: NY,
    });
    expect(iso(d.dueMs)).toBe('2027-01-17T15:00:00.000Z');
    expect(d.basis).toMatch(/§582\(c\)\(1\)\(C\).*48 hours end first/);
  });

  it('DSCSA wholesaler midweek: the end of the next business day, inside 48 hours', () => {
    // Tuesday 2 March 2027, 16:00 EST: end of Wednesday 3 March, 23:59:59.999 EST (31 hours 59 minutes).
    const d = statutoryDeadline({
      regime: 'dscsa',
      respondent: 'wholesaler',
      receivedMs: at('2027-03-02', 21),
      timeZone: NY,
    });
    expect(iso(d.dueMs)).toBe('2027-03-04T04:59:59.999Z');
    expect(d.basis).not.toMatch(/end first/);
  });

  it('DSCSA manufacturer counts like a wholesaler, under §582(b)(1)(B)', () => {
    const d = statutoryDeadline({
      regime: 'dscsa',
      respondent: 'manufacturer',
      receivedMs: at('2027-03-02', 21),
      timeZone: NY,
    });
    expect(iso(d.dueMs)).toBe('2027-03-04T04:59:59.999Z');
    expect(d.basis).toMatch(/§582\(b\)\(1\)\(B\)/);
  });

  it('DSCSA dispenser: two business days, with no 48-hour cap', () => {
    // Friday 15 January 2027 10:00 EST: Tuesday 19 and Wednesday 20 January; due end of Wednesday.
    const d = statutoryDeadline({
      regime: 'dscsa',
      respondent: 'dispenser',
      receivedMs: at('2027-01-15', 15),
      timeZone: NY,
    });
    expect(iso(d.dueMs)).toBe('2027-01-21T04:59:59.999Z');
    expect(d.basis).toMatch(/§582\(d\)\(1\)\(D\)/);
    // Wednesday 1 July 2026 (EDT): Thursday 2 July, then Friday 3 July is Independence Day
    // observed, so the second business day is Monday 6 July.
    const summer = statutoryDeadline({
      regime: 'dscsa',
      respondent: 'dispenser',
      receivedMs: at('2026-07-01', 14),
      timeZone: NY,
    });
    expect(iso(summer.dueMs)).toBe('2026-07-07T03:59:59.999Z');
  });

  it('the day of receipt counts in the zone where it was received, not UTC', () => {
    // 23:30 on Thursday 4 March 2027 in Los Angeles is already Friday in UTC.
    const received = Date.parse('2027-03-05T07:30:00Z');
    const la = statutoryDeadline({
      regime: 'dscsa',
      respondent: 'dispenser',
      receivedMs: received,
      timeZone: 'America/Los_Angeles',
    });
    // Friday 5 and Monday 8 March: end of Monday, Pacific time.
    expect(iso(la.dueMs)).toBe('2027-03-09T07:59:59.999Z');
  });

  it('an agreed time replaces the law’s, and says so', () => {
    const input = { regime: 'fsma-204' as const, receivedMs: at('2027-03-02', 15), timeZone: NY };
    const agreed = deadlineInForce(input, {
      dueMs: at('2027-03-05', 22),
      note: 'FDA investigator J. Rivera, by phone',
    });
    expect(agreed).toEqual({
      dueMs: at('2027-03-05', 22),
      agreed: true,
      basis: 'Agreed with FDA, 21 CFR 1.1455(c)(3): FDA investigator J. Rivera, by phone',
    });
    expect(deadlineInForce(input, null)).toMatchObject({ agreed: false, dueMs: at('2027-03-03', 15) });
  });
});
