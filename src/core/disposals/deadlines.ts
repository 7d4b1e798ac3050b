import { addBusinessDays, addDays } from '../calendar';

/*
 * The two clocks of a theft or significant loss, both counted from the day it was discovered:
 * - written notice to the DEA Field Division Office "within one business day of discovery"
 *   (21 CFR 1301.76(b) for practitioners and pharmacies, 1301.74(c) for distributors): the next
 *   business day, weekends and federal holidays skipped (the one calendar, src/core/calendar);
 * - DEA Form 106 filed "through DEA's Diversion Control Division secure network application
 *   within 45 days after discovery" (1301.76(b) as amended by 88 FR 40712, read in the eCFR text):
 *   days, not business days, so the 45th day may be a weekend or a holiday.
 */
export function form106Deadlines(discoveredOn: string): { noticeDueBy: string; fileBy: string } {
  return { noticeDueBy: addBusinessDays(discoveredOn, 1), fileBy: addDays(discoveredOn, 45) };
}
