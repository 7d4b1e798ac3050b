/** Quantities in the product's own unit, without float noise (the core keeps thousandths). */
export function qty(value: number, unit?: string): string {
  const text = (Math.round(value * 1000) / 1000).toLocaleString(undefined, { maximumFractionDigits: 3 });
  return unit ? `${text} ${unit}` : text;
}

export function dateTime(iso: string): string {
  return new Date(iso).toLocaleString();
}

export function shortHash(hash: string): string {
  return `${hash.slice(0, 12)}…`;
}

export const KIND_LABEL: Record<string, string> = {
  receipt: 'Receipt',
  dispense: 'Dispensing',
  return: 'Return to supplier',
  transfer: 'Transfer',
  destruction: 'Destruction',
  'theft-loss': 'Theft or loss',
  adjustment: 'Adjustment',
};

export const LOSS_LABEL: Record<string, string> = {
  'break-in-burglary': 'Break-in / burglary',
  'customer-theft': 'Customer theft',
  disaster: 'Disaster',
  'employee-theft': 'Employee theft',
  'hijacking-of-transport': 'Hijacking of transport',
  'loss-in-transit': 'Loss in transit',
  'packaging-discrepancy': 'Packaging discrepancy',
  robbery: 'Robbery',
  other: 'Other',
};
