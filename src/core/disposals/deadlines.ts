import { addBusinessDays, addDays } from '../calendar';

/*
 * The two clocks of a theft or significant loss, both counted from the day it was discovered:
 * - written notice to the DEA Field Division Office "within one business day of discovery"
 *   (21 CFR 1301.76(b) for practitioners and pharmacies, 1301.74(c) for distributors): the next
 *   business day, weekends and federal holidays skipped (the one calendar, src/core/calendar);
 * - DEA Form 106 filed electronically within 45 calendar days of discovery (88 FR 40707,
 *   effective 24 July 2023): calendar days, so the 45th day may be a weekend or a holiday.
 */
export function form106Deadlines(discoveredOn: string): { noticeDueBy: string; fileBy: string } {
  return { noticeDueBy: addBusinessDays(discoveredOn, 1), fileBy: addDays(discoveredOn, 45) };
}
