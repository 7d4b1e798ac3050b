import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { blindIndex, normalizeForIndex } from '../../src/core/sealing/blind-index';
import { createFieldSealer, SealingError, type SealContext } from '../../src/core/sealing/field-sealer';
import { testKeyRing } from './test-key-ring';

const AT: SealContext = {
  table: 'packages',
  column: 'serial',
  rowId: 'c0ffee00-0000-4000-8000-000000000001',
};
const SERIAL = '10018ABC7Q4Z9';

function sealingError(run: () => unknown): SealingError {
  try {
    run();
  } catch (error) {
    if (error instanceof SealingError) return error;
    throw error;
  }
  throw new Error('expected a SealingError');
}

describe('field sealing', () => {
  it('round-trips text and bytes, with a fresh nonce per seal and the documented layout', () => {
    const sealer = createFieldSealer(testKeyRing());
    const a = sealer.seal(SERIAL, AT);
    const b = sealer.seal(SERIAL, AT);
    expect(a.equals(b)).toBe(false);
    expect(a.length).toBe(1 + 4 + 12 + Buffer.byteLength(SERIAL) + 16);
    expect(a[0]).toBe(1);
    expect(a.readUInt32BE(1)).toBe(1);
    expect(a.includes(Buffer.from(SERIAL))).toBe(false);
    expect(sealer.openText(a, AT)).toBe(SERIAL);
    expect(sealer.openText(sealer.seal('', AT), AT)).toBe('');
    expect(sealer.openText(sealer.seal('Łódź – ünïcödé ✓', AT), AT)).toBe('Łódź – ünïcödé ✓');
    const bytes = Buffer.from([0, 255, 1, 254]);
    expect(sealer.openBytes(sealer.seal(bytes, { ...AT, rowId: 7 }), { ...AT, rowId: 7 })).toEqual(bytes);
  });

  it('refuses to open a value under another table, column or row as tampered', () => {
    const sealer = createFieldSealer(testKeyRing());
    const sealed = sealer.seal(SERIAL, AT);
    const elsewhere: SealContext[] = [
      { ...AT, table: 'events' },
      { ...AT, column: 'lot' },
      { ...AT, rowId: 'c0ffee00-0000-4000-8000-000000000002' },
      // Length prefixes: moving a character between fields is a different binding.
      { table: 'packagess', column: 'erial', rowId: AT.rowId },
    ];
    for (const at of elsewhere) expect(sealingError(() => sealer.openText(sealed, at)).kind).toBe('tampered');
  });

  it('detects every single-bit flip, and truncation, without ever returning a value', () => {
    const sealer = createFieldSealer(testKeyRing());
    const sealed = sealer.seal(SERIAL, AT);
    let tampered = 0;
    let unknownVersion = 0;
    for (let bit = 0; bit < sealed.length * 8; bit++) {
      const copy = Buffer.from(sealed);
      copy[bit >> 3] = copy[bit >> 3]! ^ (1 << (bit & 7));
      const error = sealingError(() => sealer.openText(copy, AT));
      if (error.kind === 'tampered') tampered++;
      else if (error.kind === 'key-unavailable' && bit >= 8 && bit < 40) unknownVersion++;
      else throw new Error(`bit ${bit}: unexpected ${error.kind}`);
      expect(error.message).not.toContain(SERIAL);
    }
    // A flipped key-version bit names a version this ring does not hold: reported, never opened.
    expect(unknownVersion).toBe(32);
    expect(tampered).toBe(sealed.length * 8 - 32);
    for (const length of [0, 5, 32, sealed.length - 1]) {
      expect(sealingError(() => sealer.openText(sealed.subarray(0, length), AT)).kind).toBe('tampered');
    }
    console.log(`sealing bit flips detected: ${sealed.length * 8}/${sealed.length * 8}`);
  });

  it('keeps old rows readable after rotation and seals new ones with the newest version', async () => {
    const keys = testKeyRing();
    const sealer = createFieldSealer(keys);
    const old = sealer.seal(SERIAL, AT);
    expect(await keys.rotateSealingKey()).toEqual({ version: 2 });
    const fresh = sealer.seal(SERIAL, AT);
    expect(sealer.keyVersionOf(old)).toBe(1);
    expect(sealer.keyVersionOf(fresh)).toBe(2);
    expect(sealer.needsResealing(old)).toBe(true);
    expect(sealer.needsResealing(fresh)).toBe(false);
    expect(sealer.openText(old, AT)).toBe(SERIAL);
    expect(sealer.openText(fresh, AT)).toBe(SERIAL);
    // Swapping the version in the header cannot redirect a value to another key.
    const swapped = Buffer.from(fresh);
    swapped.writeUInt32BE(1, 1);
    expect(sealingError(() => sealer.openText(swapped, AT)).kind).toBe('tampered');
  });

  it('reports a value sealed under a key this installation lacks as key-unavailable', () => {
    const sealed = createFieldSealer(testKeyRing()).seal(SERIAL, AT);
    sealed.writeUInt32BE(7, 1);
    expect(sealingError(() => createFieldSealer(testKeyRing()).openText(sealed, AT)).kind).toBe(
      'key-unavailable',
    );
  });

  it('blind indexes match equal values after normalization, per domain, per key', () => {
    const keys = testKeyRing();
    const sealer = createFieldSealer(keys);
    const index = sealer.blindIndex('serial', SERIAL);
    expect(index.length).toBe(32);
    expect(sealer.blindIndex('serial', `  ${SERIAL}\n`)).toEqual(index);
    expect(sealer.blindIndex('serial', '１００１８ABC7Q4Z9')).toEqual(index); // full-width digits
    expect(sealer.blindIndex('serial', SERIAL.toLowerCase())).not.toEqual(index); // GS1 serials are case-sensitive
    expect(sealer.blindIndex('lot', SERIAL)).not.toEqual(index);
    expect(createFieldSealer(testKeyRing()).blindIndex('serial', SERIAL)).not.toEqual(index);
    expect(sealer.blindIndex('name', 'Zoë Smith', { caseInsensitive: true })).toEqual(
      sealer.blindIndex('name', 'ZOE\u0308 SMITH', { caseInsensitive: true }),
    );
    expect(normalizeForIndex('Cafe\u0301')).toBe('Café');
    expect(blindIndex(keys.blindIndexKey, 'serial', SERIAL)).toEqual(index);
  });

  it('the blind index is HMAC-SHA-256 over the documented message, byte for byte (RFC 4231 key sizes too)', () => {
    const message = (domain: string, value: string) => {
      const d = Buffer.from(domain, 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32BE(d.length);
      return Buffer.concat([
        Buffer.from('custodia-bidx-v1\0', 'utf8'),
        length,
        d,
        Buffer.from(value, 'utf8'),
      ]);
    };
    // 32-byte keys as installed, and the RFC 4231 shapes: short, block-sized, longer than a block.
    for (const key of [
      testKeyRing().blindIndexKey,
      Buffer.from('Jefe'),
      Buffer.alloc(64, 7),
      Buffer.alloc(131, 0xaa),
    ]) {
      for (const [domain, value] of [
        ['serial', SERIAL],
        ['trace-id', 'https://id.gs1.org/01/00300010123451/21/S1'],
        ['', ''],
        ['name', 'Zoë'],
      ] as const) {
        const expected = crypto.createHmac('sha256', key).update(message(domain, value)).digest();
        expect(blindIndex(key, domain, value)).toEqual(expected);
      }
    }
  });

  it('sealing the same value twice uses two different nonces', () => {
    const sealer = createFieldSealer(testKeyRing());
    const at = { table: 't', column: 'c', rowId: 1 };
    const nonces = new Set<string>();
    for (let i = 0; i < 2000; i++) nonces.add(sealer.seal(SERIAL, at).subarray(5, 17).toString('hex'));
    expect(nonces.size).toBe(2000);
  });
});
