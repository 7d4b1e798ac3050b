import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ndcsOf } from '../../src/core/trace/ndc';
import { glnOf, trace } from '../../src/core/trace/query';
import { FIXTURES, freshContext, importText } from '../ingest/helpers';

describe('Trace understands an NDC (issue 19)', () => {
  it('reads an NDC in its 10- and 11-digit forms, with or without hyphens, trying every layout bare digits allow', () => {
    expect(ndcsOf('0001-0123-45')!.map((n) => n.ndc10)).toEqual(['0001-0123-45']);
    // Ten bare digits: the three layouts of 21 CFR 207.33.
    expect(ndcsOf('0001012345')!.map((n) => `${n.configuration} ${n.ndc10}`)).toEqual([
      '4-4-2 0001-0123-45',
      '5-3-2 00010-123-45',
      '5-4-1 00010-1234-5',
    ]);
    // Eleven digits (5-4-2): each segment whose padding zero can be dropped.
    expect(ndcsOf('00001-0123-45')!.map((n) => n.ndc10)).toEqual(['0001-0123-45', '00001-123-45']);
    expect(ndcsOf('00001012345')!.map((n) => n.ndc10)).toEqual(['0001-0123-45', '00001-123-45']);
    expect(ndcsOf('A123')).toBeUndefined();
    expect(ndcsOf('0001-01234-5')).toBeUndefined();
  });

  it('lists the lots and shipments of the product an NDC names, in every form; a lot-only serial falls back plainly', async () => {
    const ctx = await freshContext();
    await importText(
      ctx,
      'GS1_US_Pharma_Example_2_2_1_1.xml',
      fs.readFileSync(path.join(FIXTURES, 'GS1_US_Pharma_Example_2_2_1_1.xml')),
    );
    for (const query of ['0001-0123-45', '0001012345', '00001-0123-45', '00001012345']) {
      const r = trace(ctx, query);
      expect(r, query).toMatchObject({ kind: 'ndc', found: true });
      const product = r.ndc!.products.find((p) => p.gtin === '00300010123455')!;
      expect(product, query).toMatchObject({ name: 'Epcistra', ndc: '0001-0123-45' });
      expect(product.lots.map((l) => l.lot)).toContain('A123');
      expect(product.lots.find((l) => l.lot === 'A123')!.serials).toBeGreaterThan(0);
    }
    // The case GTIN (indicator 1) carries the same NDC: listed too.
    expect(trace(ctx, '0001-0123-45').ndc!.products.map((p) => p.gtin)).toContain('10300010123452');
    // An NDC nothing carries: not found, and said as an NDC.
    expect(trace(ctx, '0002-7597-01')).toMatchObject({ kind: 'ndc', found: false });
    // A serial no event names, of a lot the records hold: the lot's data, flagged lot-level only.
    const unknown = trace(ctx, '(01)00300010123455(10)A123(21)NOT-IN-ANY-FILE');
    expect(unknown).toMatchObject({
      kind: 'serial',
      found: true,
      lotLevelOnly: true,
      serial: 'NOT-IN-ANY-FILE',
    });
    // Partners and locations are named from the GLN their Digital Link or URN carries.
    const item = trace(ctx, 'urn:epc:id:sgtin:030001.0012345.11');
    expect(item.places.length).toBeGreaterThan(0);
    expect(item.places.every((p) => p.gln === null || /^\d{13}$/.test(p.gln))).toBe(true);
  });

  it('finds the GLN in a bare GLN, a Digital Link and an SGLN URN', () => {
    expect(glnOf('0614141000005')).toBe('0614141000005');
    expect(glnOf('https://id.gs1.org/414/0614141000005')).toBe('0614141000005');
    expect(glnOf('https://id.gs1.org/414/0614141000005/254/1')).toBe('0614141000005');
    expect(glnOf('urn:epc:id:sgln:0614141.00000.0')).toBe('0614141000005');
    expect(glnOf('somewhere')).toBeNull();
  });
});
