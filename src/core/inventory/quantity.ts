/** Quantities are kept as integer thousandths of a unit, so 2.5 mL + 0.1 mL is exact. */
export function toMilli(quantity: number): number {
  return Math.round(quantity * 1000);
}

export function fromMilli(milli: number): number {
  return milli / 1000;
}
