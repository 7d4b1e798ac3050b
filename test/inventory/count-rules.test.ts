import { describe, expect, it } from 'vitest';
import { checkInventoryLine, exactCountRequired } from '../../src/core/counts/inventory-rules';
import { nextDue } from '../../src/core/counts/next-due';
import { percentToBp, reconcile, unitsFromContainers } from '../../src/core/counts/reconciliation';
import { checkOrderNumber } from '../../src/core/inventory/order-number';
import { toMilli } from '../../src/core/inventory/quantity';

const CII = percentToBp(0.1);

describe('reconciliation arithmetic (worked examples)', () => {
  it('units vs containers: 3 full bottles of 100 and an opened one with 47 are 347 tablets', () => {
    expect(unitsFromContainers(3, 100, [47])).toBe(347);
  });

  it('Schedule II at ±0.1%: 1 tablet short of 1,000 is exactly at the threshold, not beyond it', () => {
    const r = reconcile(toMilli(1000), toMilli(999), CII);
    expect(r).toMatchObject({ varianceMilli: -1000, variancePercent: -0.1, beyondThreshold: false });
  });

  it('2 tablets short of 1,000 (-0.2%) opens a discrepancy; so does 1 short of 347', () => {
    expect(reconcile(toMilli(1000), toMilli(998), CII).beyondThreshold).toBe(true);
    const small = reconcile(toMilli(347), toMilli(346), CII);
    expect(small.beyondThreshold).toBe(true);
    expect(small.variancePercent).toBe(-0.2882);
  });

  it('liquids in mL add up exactly (2.5 mL of 473 mL) and an overage counts too', () => {
    const r = reconcile(toMilli(473), toMilli(470.5), percentToBp(1));
    expect(r).toMatchObject({ varianceMilli: -2500, beyondThreshold: false });
    expect(reconcile(toMilli(100), toMilli(101), CII).beyondThreshold).toBe(true);
  });

  it('nothing expected and something counted is always a discrepancy; zero and zero is not', () => {
    expect(reconcile(0, toMilli(5), CII)).toMatchObject({ variancePercent: null, beyondThreshold: true });
    expect(reconcile(0, 0, CII).beyondThreshold).toBe(false);
  });
});

describe('biennial / initial inventory counting rules, 21 CFR 1304.11(e)', () => {
  it('Schedule II opened containers must be counted exactly', () => {
    const line = { schedule: 'CII' as const, unitsPerContainer: 100, unit: 'tablet', fullContainers: 2 };
    expect(checkInventoryLine({ ...line, opened: [{ quantity: 37, measure: 'exact' }] })).toEqual({
      total: 237,
      problems: [],
    });
    const estimated = checkInventoryLine({ ...line, opened: [{ quantity: 40, measure: 'estimated' }] });
    expect(estimated.problems.map((p) => p.rule)).toEqual(['exact-count-schedule-ii']);
  });

  it('Schedule III-V opened containers may be estimated ...', () => {
    const check = checkInventoryLine({
      schedule: 'CIV',
      unitsPerContainer: 500,
      unit: 'tablet',
      fullContainers: 1,
      opened: [{ quantity: 250, measure: 'estimated' }],
    });
    expect(check).toEqual({ total: 750, problems: [] });
  });

  it('... unless the container holds more than 1,000 tablets or capsules (exactly 1,000 may still be estimated)', () => {
    const over = { schedule: 'CIV' as const, unitsPerContainer: 1000.5, unit: 'tablet', fullContainers: 0 };
    expect(exactCountRequired({ ...over, unitsPerContainer: 1000 })).toBe(false);
    expect(exactCountRequired({ ...over, unitsPerContainer: 5000, unit: 'capsule' })).toBe(true);
    const big = checkInventoryLine({
      ...over,
      unitsPerContainer: 5000,
      opened: [{ quantity: 1200, measure: 'estimated' }],
    });
    expect(big.problems.map((p) => p.rule)).toEqual(['exact-count-over-1000']);
    // The rule names tablets and capsules: a 4,000 mL jug of a CV syrup may be estimated.
    expect(exactCountRequired({ schedule: 'CV', unitsPerContainer: 4000, unit: 'mL' })).toBe(false);
  });

  it('an opened container cannot hold more than a full one, and full containers need a package size', () => {
    const bad = checkInventoryLine({
      schedule: 'CIII',
      unitsPerContainer: 30,
      unit: 'tablet',
      fullContainers: 0,
      opened: [{ quantity: 31, measure: 'exact' }],
    });
    expect(bad.problems.map((p) => p.rule)).toEqual(['opened-exceeds-full']);
    const unknown = checkInventoryLine({
      schedule: 'CIII',
      unitsPerContainer: null,
      unit: 'tablet',
      fullContainers: 2,
      opened: [],
    });
    expect(unknown).toMatchObject({ total: null, problems: [{ rule: 'package-size-unknown' }] });
  });
});

describe('the next biennial inventory', () => {
  it('is due two years after the last one; warns 60 days ahead; leap day falls back', () => {
    expect(nextDue(null, '2026-03-01').state).toBe('initial-missing');
    expect(nextDue({ kind: 'initial', date: '2026-03-01' }, '2026-03-02')).toMatchObject({
      state: 'ok',
      dueBy: '2028-03-01',
      daysLeft: 730,
    });
    expect(nextDue({ kind: 'biennial', date: '2024-05-01' }, '2026-03-15').state).toBe('due-soon');
    expect(nextDue({ kind: 'biennial', date: '2024-02-29' }, '2026-03-15')).toMatchObject({
      dueBy: '2026-02-28',
      state: 'overdue',
    });
  });
});

describe('DEA order numbers', () => {
  it('CSOS: 2-digit year + X + 6 characters (21 CFR 1305.21(b))', () => {
    expect(checkOrderNumber('csos', '26x000123')).toEqual({ ok: true, value: '26X000123' });
    expect(checkOrderNumber('csos', '26X00012').ok).toBe(false);
    expect(checkOrderNumber('csos', '2026X0001').ok).toBe(false);
    expect(checkOrderNumber('csos', '25X000123', '2026-01-05')).toMatchObject({
      ok: false,
      error: { rule: 'csos-order-year' },
    });
    expect(checkOrderNumber('dea-222', '201234567').ok).toBe(true);
    expect(checkOrderNumber('dea-222', '12-34').ok).toBe(false);
  });
});
