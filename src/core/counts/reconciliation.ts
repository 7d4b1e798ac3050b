/**
 * Count reconciliation: what was counted against the perpetual (book) balance. All arithmetic is on
 * integer thousandths of a unit and the threshold in basis points (0.1% = 10 bp), so "exactly at
 * the threshold" is decided exactly: a variance opens a discrepancy only when |variance| is
 * strictly more than threshold × expected. Nothing expected and something counted (or the reverse
 * with nothing counted) is always beyond any threshold: a percentage of zero means nothing.
 */
export interface Reconciliation {
  readonly expectedMilli: number;
  readonly countedMilli: number;
  /** counted − expected: negative means stock is missing. */
  readonly varianceMilli: number;
  /** Percent of expected, rounded to 4 decimals; null when nothing was expected. */
  readonly variancePercent: number | null;
  readonly thresholdBp: number;
  readonly beyondThreshold: boolean;
}

export function percentToBp(percent: number): number {
  return Math.round(percent * 100);
}

export function reconcile(expectedMilli: number, countedMilli: number, thresholdBp: number): Reconciliation {
  const varianceMilli = countedMilli - expectedMilli;
  const variancePercent =
    expectedMilli === 0 ? null : Math.round((varianceMilli / expectedMilli) * 100 * 10_000) / 10_000;
  const beyondThreshold =
    varianceMilli !== 0 &&
    (expectedMilli === 0 || Math.abs(varianceMilli) * 10_000 > thresholdBp * expectedMilli);
  return { expectedMilli, countedMilli, varianceMilli, variancePercent, thresholdBp, beyondThreshold };
}

/** Units from containers: full containers × units per container + whatever is in opened ones. */
export function unitsFromContainers(
  fullContainers: number,
  unitsPerContainer: number,
  openedUnits: readonly number[],
): number {
  return fullContainers * unitsPerContainer + openedUnits.reduce((sum, q) => sum + q, 0);
}
