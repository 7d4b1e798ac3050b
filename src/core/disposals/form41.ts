import { ruleViolation } from '../inventory';

/*
 * DEA Form 41 section B(1), one row per NDC: "Pkg. Qty." (units in a full package), "Number of
 * Full Pkgs.", "Partial Pkg. Count" and "Total Destroyed", which is full packages × package
 * quantity + partial count (DEA's instruction example: Kadian 60 mg capsules, 60 per package, 2
 * full packages, 0 partial, 120 capsules). A line whose total does not add up is refused.
 */

export interface Form41Count {
  readonly ndc: string;
  readonly packageSize: number | null;
  readonly unit: string;
  readonly fullPackages: number;
  readonly partialCount: number;
  readonly quantity: number;
}

const milli = (n: number) => Math.round(n * 1000);

export function checkForm41Count(line: Form41Count): void {
  if (line.packageSize === null) {
    if (line.fullPackages > 0) {
      throw ruleViolation(
        'form41-count',
        `${line.ndc}: the package size is not known, so full packages cannot be counted; give the partial count only, or add the package size to the product.`,
        { ndc: line.ndc },
      );
    }
  } else if (milli(line.partialCount) >= milli(line.packageSize)) {
    throw ruleViolation(
      'form41-count',
      `${line.ndc}: a partial package holds fewer than ${line.packageSize} ${line.unit}; count ${line.partialCount} as full packages and a partial.`,
      { ndc: line.ndc },
    );
  }
  const total = milli((line.packageSize ?? 0) * line.fullPackages) + milli(line.partialCount);
  if (total !== milli(line.quantity)) {
    throw ruleViolation(
      'form41-count',
      `${line.ndc}: ${line.fullPackages} full package(s) of ${line.packageSize ?? 0} and a partial count of ${line.partialCount} make ${total / 1000} ${line.unit}, not ${line.quantity}.`,
      { ndc: line.ndc, total: total / 1000 },
    );
  }
}

/** "120 Capsules", as the form writes the total: the count and the unit, capitalized, plural. */
export function totalWithUnit(quantity: number, unit: string): string {
  const word = unit.length <= 3 ? unit : `${unit[0]!.toUpperCase()}${unit.slice(1)}`;
  const plural = quantity === 1 || unit.length <= 3 || /s$/i.test(word) ? word : `${word}s`;
  return `${formatQuantity(quantity)} ${plural}`;
}

export function formatQuantity(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 1000) / 1000);
}
