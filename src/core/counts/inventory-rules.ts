import type { Schedule } from '../products';

/**
 * Counting rules of an initial or biennial inventory, 21 CFR 1304.11(e) (reg-formats.md §4.1).
 * Cited to the paragraph, not the subparagraph: the dispenser rule was (e)(3) in the 1997 text
 * (identical to 1971 §304.17), and a later source quoting eCFR numbers it (e)(6) after the 2014
 * disposal rule inserted the reverse-distributor and collector inventories; the current eCFR
 * subparagraph was not read (reg-formats-update.md §4.1), so no report prints either number.
 * for each finished form, the units per commercial container and the number of containers; for an
 * opened container, Schedule I/II an exact count or measure, Schedule III-V an estimated count or
 * measure, unless the container holds more than 1,000 tablets or capsules, then an exact count.
 */
export interface InventoryLine {
  readonly schedule: Schedule;
  /** Units in a full commercial container; null when the product master does not know. */
  readonly unitsPerContainer: number | null;
  /** "tablet", "capsule", "mL" …: the 1,000-unit rule is about tablets and capsules only. */
  readonly unit: string;
  readonly fullContainers: number;
  readonly opened: readonly { quantity: number; measure: 'exact' | 'estimated' }[];
}

export interface LineCheck {
  readonly total: number | null;
  readonly problems: { rule: string; message: string }[];
}

export function isTabletOrCapsule(unit: string): boolean {
  return /tablet|capsule|caplet/i.test(unit);
}

/** Whether an opened container of this line must be counted exactly. */
export function exactCountRequired(
  line: Pick<InventoryLine, 'schedule' | 'unitsPerContainer' | 'unit'>,
): boolean {
  if (line.schedule === 'CI' || line.schedule === 'CII') return true;
  return isTabletOrCapsule(line.unit) && line.unitsPerContainer !== null && line.unitsPerContainer > 1000;
}

export function checkInventoryLine(line: InventoryLine): LineCheck {
  const problems: { rule: string; message: string }[] = [];
  const exact = exactCountRequired(line);
  line.opened.forEach((container, i) => {
    if (exact && container.measure === 'estimated') {
      problems.push(
        line.schedule === 'CI' || line.schedule === 'CII'
          ? {
              rule: 'exact-count-schedule-ii',
              message: `opened container ${i + 1}: Schedule I/II must be counted exactly (21 CFR 1304.11(e))`,
            }
          : {
              rule: 'exact-count-over-1000',
              message: `opened container ${i + 1}: it holds more than 1,000 ${line.unit}s, so it must be counted exactly (21 CFR 1304.11(e))`,
            },
      );
    }
    if (line.unitsPerContainer !== null && container.quantity > line.unitsPerContainer) {
      problems.push({
        rule: 'opened-exceeds-full',
        message: `opened container ${i + 1} holds ${container.quantity}, more than a full one (${line.unitsPerContainer})`,
      });
    }
  });
  if (line.fullContainers > 0 && line.unitsPerContainer === null) {
    problems.push({
      rule: 'package-size-unknown',
      message: 'full containers were counted but the package size is not known; add it to the product',
    });
    return { total: null, problems };
  }
  const total =
    (line.unitsPerContainer ?? 0) * line.fullContainers + line.opened.reduce((s, c) => s + c.quantity, 0);
  return { total: Math.round(total * 1000) / 1000, problems };
}
