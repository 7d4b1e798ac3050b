/** The one calendar of US federal holidays and business days, for every deadline that counts them. */
export {
  addBusinessDays,
  addDays,
  holidayObservedOn,
  holidaysOf,
  isBusinessDay,
  weekdayOf,
  type Holiday,
} from './holidays';
export { dateIn, endOfDate, isTimeZone, offsetAt, startOfDate } from './zoned';

import { addBusinessDays } from './holidays';
import { dateIn, endOfDate } from './zoned';

/**
 * The last millisecond of the `n`th business day after the day of `ms` in `timeZone`: "within N
 * business days" as Custodia counts it (the day something arrives never counts). The DSCSA request
 * clocks use it, and the DEA's "within one business day" will.
 */
export function endOfBusinessDays(ms: number, timeZone: string, n: number): number {
  return endOfDate(addBusinessDays(dateIn(ms, timeZone), n), timeZone);
}
