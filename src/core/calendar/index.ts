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
