import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openLedger } from '../../src/core/ledger/open';
import { osUserActor } from '../../src/cli/person';
import { requireKeyring } from '../secrets/keyring';
import { runCaptured } from './run';

requireKeyring();

/**
 * Issue 18, files are what they claim: the mistaken and hostile files a person may hand `custodia
 * import`. Each is held in quarantine with the reason in words; none is "imported" with 0 records,
 * none is read as a spreadsheet it is not. The import is the machine owner's: recorded as the OS user.
 */
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-hostile-'));
const data = path.join(root, 'data');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function file(name: string, bytes: Buffer | string): string {
  const where = path.join(root, name);
  fs.writeFileSync(where, bytes);
  return where;
}

interface Reported {
  file: string;
  status: string;
  events: number;
  imported: number;
  quarantined: number;
  reasons: { rule: string; message: string; field?: string }[];
}

async function importOne(where: string): Promise<Reported> {
  const run = await runCaptured(['import', where, '--data', data, '--json'], { env: {} });
  expect(run.stderr).toBe('');
  const [report] = JSON.parse(run.stdout) as Reported[];
  expect({ file: report!.file, code: run.code }).toEqual({ file: path.basename(where), code: 1 });
  return report!;
}

describe('hostile and mistaken files on the command line (issue 18)', () => {
  // An installation file of a real data folder: a JSON object that is no EPCIS document.
  const installation = () => {
    const other = path.join(root, 'other');
    return openLedger({ dataDir: other, createIfMissing: true }).then((opened) => {
      opened.close();
      return fs.readFileSync(path.join(other, 'installation.json'));
    });
  };

  const cases: [string, () => Promise<Buffer | string> | Buffer | string, RegExp][] = [
    ['hello.json', () => '{"hello":"world"}\n', /not an EPCIS document: .*(@context|type)/],
    ['installation.json', installation, /not an EPCIS document/],
    [
      'context-only.json',
      () =>
        JSON.stringify({
          '@context': ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld'],
          type: 'Shipment',
        }),
      /expected "EPCISDocument" or "EPCISQueryDocument"/,
    ],
    [
      'utf16.xml',
      () =>
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<?xml version="1.0"?><epcis/>', 'utf16le')]),
      /UTF-16 \(little-endian\) text/,
    ],
    [
      'utf16be.csv',
      () => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('a,b\n', 'utf16le').swap16()]),
      /UTF-16 \(big-endian\)/,
    ],
    ['empty.xml', () => '', /the file is empty/],
    ['blank.csv', () => '   \n\n', /only blank space/],
    ['binary.xml', () => crypto.randomBytes(64 * 1024), /not text/],
    ['json-named.csv', () => '{"type":"EPCISDocument"}', /named \.csv but holds JSON/],
    [
      'csv-named.xml',
      () => 'Traceability Lot Code,Product\nTLC1,Spinach\n',
      /named \.xml but does not start as XML/,
    ],
    [
      'no-events.json',
      () =>
        JSON.stringify({
          '@context': ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld'],
          type: 'EPCISDocument',
          schemaVersion: '2.0',
          creationDate: '2026-03-02T09:00:00Z',
          epcisBody: { eventList: [] },
        }),
      /holds no records/,
    ],
  ];

  it.each(cases)('%s is held with its reason, nothing imported', async (name, bytes, reason) => {
    const report = await importOne(file(name, await bytes()));
    expect(report.status).toBe('quarantined');
    expect(report.imported).toBe(0);
    expect(report.quarantined).toBe(1);
    expect(report.reasons.map((r) => r.message).join(' | ')).toMatch(reason);
    // Named in words: no spreadsheet message for what is not a spreadsheet.
    if (!name.endsWith('.csv'))
      expect(report.reasons.map((r) => r.message).join(' ')).not.toMatch(/spreadsheet cannot|column/i);
  });

  it('records every hold as the operating-system user who ran the import', async () => {
    const opened = await openLedger({ dataDir: data, createIfMissing: false });
    try {
      const actors = new Set<string>();
      for (let seq = 0; seq < opened.ledger.size; seq++) {
        const leaf = JSON.parse(opened.ledger.leaf(seq)!.toString('utf8')) as { type: string; actor: string };
        if (leaf.type === 'quarantine.opened') actors.add(leaf.actor);
      }
      expect([...actors]).toEqual([osUserActor()]);
    } finally {
      opened.close();
    }
  });
});
