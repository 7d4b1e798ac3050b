import { expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/command';

function captured(): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: { out: (t) => out.push(t), err: (t) => err.push(t), readStdin: async () => '', env: {} },
  };
}

it('custodia gs1 parse prints the product identifier of a DataMatrix scan with GS separators', async () => {
  const { io, out, err } = captured();
  const scan = ']d201003000275970101727123110ABC123\u001d21XYZ987';
  const code = await runCli(['gs1', 'parse', scan], io);
  expect(code).toBe(0);
  expect(err).toEqual([]);
  const json = JSON.parse(out.join('\n'));
  expect(json).toMatchObject({
    kind: 'scan',
    symbology: 'DataMatrix',
    gtin: '00300027597010',
    lot: 'ABC123',
    serial: 'XYZ987',
    digitalLink: 'https://id.gs1.org/01/00300027597010/10/ABC123/21/XYZ987?17=271231',
  });
  expect(json.expiry).toMatch(/^20\d\d-12-31$/);
  expect(json.ndc.candidates[0]).toEqual({
    ndc10: '0002-7597-01',
    configuration: '4-4-2',
    ndc11: '00002-7597-01',
  });
});

it('custodia gs1 parse exits 1 with one precise line on stderr for a wrong check digit', async () => {
  const { io, out, err } = captured();
  const code = await runCli(['gs1', 'parse', ']d201003000275970111727123110ABC123\u001d21XYZ987'], io);
  expect(code).toBe(1);
  expect(out).toEqual([]);
  expect(err).toHaveLength(1);
  expect(err[0]).toMatch(/check digit is 1 but should be 0/);
  expect(err[0]).toMatch(/\[check-digit at character 19\]/);
  expect(err[0]).not.toMatch(/XYZ987/); // never echo a serial number
});
