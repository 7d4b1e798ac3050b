import type { Product } from '../api/procedures/products';

export type Schedule = NonNullable<Product['schedule']>;

/** Schedules I and II need a DEA order for every distribution (21 CFR 1305.03) and dual control here. */
export function isScheduleII(schedule: Schedule): boolean {
  return schedule === 'CI' || schedule === 'CII';
}
