import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { EpcisReadError } from '../src/core/epcis/errors';
import { eventHash } from '../src/core/epcis/hash';
import type { EpcisEvent } from '../src/core/epcis/model';
import { readValidated } from '../src/core/epcis/pipeline';
import { fileSource } from '../src/core/epcis/text-source';
import type { Report } from './report';

/**
 * Issue 4's EPCIS figures. A generated file of N events (default 1M; CUSTODIA_BENCH_EVENTS to
 * shrink) as EPCIS 2.0 JSON-LD and the same events as EPCIS 1.2 XML; each measured in its own child
 * process so peak RSS (getrusage maxrss) belongs to that work alone:
 * - parse + validate (strict) + CBV 2.0 event hash, events/s and peak RSS (goal: RSS < 300 MB);
 * - baseline: JSON.parse of the same JSON-LD bytes, no validation (the whole file as one string);
 * - a 2 GB file of random bytes (CUSTODIA_BENCH_GARBAGE_MB to change): time to a clear error, RSS.
 */
export async function run(report: Report): Promise<void> {
  const count = Number(process.env.CUSTODIA_BENCH_EVENTS ?? 1_000_000);
  const garbageMB = Number(process.env.CUSTODIA_BENCH_GARBAGE_MB ?? 2048);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-bench-epcis-'));
  try {
    const jsonFile = path.join(dir, 'events.jsonld');
    const xmlFile = path.join(dir, 'events-1.2.xml');
    await writeFiles(count, jsonFile, xmlFile);
    const jsonMB = fs.statSync(jsonFile).size / 1e6;
    const xmlMB = fs.statSync(xmlFile).size / 1e6;

    const baseline = child('baseline', jsonFile);
    const baselineRate = count / (baseline.ms / 1000);
    report({
      figure: 'baseline-json-parse',
      value: Math.round(baselineRate),
      unit: 'events/s',
      peakRssMB: baseline.rssMB,
      fileMB: +jsonMB.toFixed(1),
      events: count,
      note: 'fs.readFileSync + JSON.parse of the whole JSON-LD file, no validation, no hashing',
    });

    for (const [name, file, mb] of [
      ['jsonld', jsonFile, jsonMB],
      ['xml12', xmlFile, xmlMB],
    ] as const) {
      const r = child('parse', file);
      const rate = r.events / (r.ms / 1000);
      report({
        figure: `${name}-parse-validate-hash`,
        value: Math.round(rate),
        unit: 'events/s',
        baseline: Math.round(baselineRate),
        ratio: +(rate / baselineRate).toFixed(3),
        peakRssMB: r.rssMB,
        goal: 'peak RSS < 300 MB whatever the file size',
        withinGoal: r.rssMB < 300,
        seconds: +(r.ms / 1000).toFixed(1),
        MBps: +(mb / (r.ms / 1000)).toFixed(1),
        fileMB: +mb.toFixed(1),
        events: r.events,
        invalid: r.invalid,
        note: 'streaming read, strict validation, published-order CBV 2.0 hash per event; baseline: JSON.parse of the JSON-LD bytes',
      });
    }

    if (garbageMB > 0) {
      const garbage = path.join(dir, 'garbage.bin');
      await writeGarbage(garbage, garbageMB);
      const g = child('parse', garbage);
      report({
        figure: 'garbage-file',
        value: +(g.ms / 1000).toFixed(3),
        unit: 's to a clear error',
        peakRssMB: g.rssMB,
        fileMB: garbageMB,
        error: g.error ?? 'none (unexpected)',
      });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface ChildResult {
  ms: number;
  rssMB: number;
  events: number;
  invalid: number;
  error?: string;
}

/** Runs this file as a worker in a fresh Node process, so its peak RSS measures only that work. */
function child(mode: 'parse' | 'baseline', file: string): ChildResult {
  const self = fileURLToPath(import.meta.url);
  const root = path.resolve(path.dirname(self), '..');
  const args = [
    '--import',
    'tsx',
    ...(mode === 'baseline' ? ['--max-old-space-size=16384'] : []),
    self,
    '--epcis-worker',
    mode,
    file,
  ];
  const out = execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!) as ChildResult;
}

async function worker(mode: string, file: string): Promise<void> {
  const started = performance.now();
  let events = 0;
  let invalid = 0;
  let error: string | undefined;
  if (mode === 'baseline') {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { epcisBody: { eventList: unknown[] } };
    events = parsed.epcisBody.eventList.length;
  } else {
    try {
      let sink = 0;
      for await (const item of readValidated(fileSource(file))) {
        if (item.type !== 'event') continue;
        events++;
        if (item.event === undefined) invalid++;
        sink += eventHash(item.candidate as EpcisEvent).eventHashId.length;
      }
      if (sink === 0 && events > 0) throw new Error('no hashes computed');
    } catch (e) {
      if (!(e instanceof EpcisReadError)) throw e;
      error = e.message;
    }
  }
  const ms = performance.now() - started;
  const rssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(
    JSON.stringify({ ms, rssMB, events, invalid, ...(error !== undefined ? { error } : {}) }) + '\n',
  );
}

/* ---------------- generated input ---------------- */

const GCP = '0614141';
const pad = (n: number, width: number) => String(n).padStart(width, '0');

interface GenEvent {
  time: string;
  epcs: string[];
  kind: 'commission' | 'pack' | 'ship';
  parent: string;
  lot: string;
  expiry: string;
}

function generated(i: number): GenEvent {
  const t = new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString();
  const kind = i % 10 === 9 ? 'ship' : i % 5 === 4 ? 'pack' : 'commission';
  const n = 1 + (i % 3);
  const epcs = Array.from(
    { length: n },
    (_, k) => `urn:epc:id:sgtin:${GCP}.0${pad(i % 99999, 5)}.${pad(i * 3 + k, 10)}`,
  );
  return {
    time: t,
    epcs,
    kind,
    parent: `urn:epc:id:sscc:${GCP}.0${pad(i, 9)}`,
    lot: `L${i % 9973}`,
    expiry: '2027-06-30',
  };
}

function jsonEvent(e: GenEvent): string {
  const base = { eventTime: e.time, eventTimeZoneOffset: '-05:00' };
  const where = {
    readPoint: { id: `urn:epc:id:sgln:${GCP}.00001.0` },
    bizLocation: { id: `urn:epc:id:sgln:${GCP}.00001.0` },
  };
  if (e.kind === 'pack') {
    return JSON.stringify({
      type: 'AggregationEvent',
      ...base,
      parentID: e.parent,
      childEPCs: e.epcs,
      action: 'ADD',
      bizStep: 'packing',
      disposition: 'in_progress',
      ...where,
    });
  }
  if (e.kind === 'ship') {
    return JSON.stringify({
      type: 'ObjectEvent',
      ...base,
      epcList: e.epcs,
      action: 'OBSERVE',
      bizStep: 'shipping',
      disposition: 'in_transit',
      ...where,
      bizTransactionList: [{ type: 'po', bizTransaction: 'urn:epcglobal:cbv:bt:0614141000005:PO-1234' }],
      sourceList: [{ type: 'owning_party', source: `urn:epc:id:pgln:${GCP}.00000` }],
      destinationList: [{ type: 'owning_party', destination: 'urn:epc:id:pgln:0300011.00000' }],
    });
  }
  return JSON.stringify({
    type: 'ObjectEvent',
    ...base,
    epcList: e.epcs,
    action: 'ADD',
    bizStep: 'commissioning',
    disposition: 'active',
    ...where,
    ilmd: { 'cbvmda:lotNumber': e.lot, 'cbvmda:itemExpirationDate': e.expiry },
  });
}

function xmlEvent(e: GenEvent): string {
  const common = `<eventTime>${e.time}</eventTime><eventTimeZoneOffset>-05:00</eventTimeZoneOffset>`;
  const list = (tag: string) => `<${tag}>${e.epcs.map((x) => `<epc>${x}</epc>`).join('')}</${tag}>`;
  const where = `<readPoint><id>urn:epc:id:sgln:${GCP}.00001.0</id></readPoint><bizLocation><id>urn:epc:id:sgln:${GCP}.00001.0</id></bizLocation>`;
  if (e.kind === 'pack') {
    return `<AggregationEvent>${common}<parentID>${e.parent}</parentID>${list('childEPCs')}<action>ADD</action><bizStep>urn:epcglobal:cbv:bizstep:packing</bizStep><disposition>urn:epcglobal:cbv:disp:in_progress</disposition>${where}</AggregationEvent>\n`;
  }
  if (e.kind === 'ship') {
    return `<ObjectEvent>${common}${list('epcList')}<action>OBSERVE</action><bizStep>urn:epcglobal:cbv:bizstep:shipping</bizStep><disposition>urn:epcglobal:cbv:disp:in_transit</disposition>${where}<bizTransactionList><bizTransaction type="urn:epcglobal:cbv:btt:po">urn:epcglobal:cbv:bt:0614141000005:PO-1234</bizTransaction></bizTransactionList><extension><sourceList><source type="urn:epcglobal:cbv:sdt:owning_party">urn:epc:id:pgln:${GCP}.00000</source></sourceList><destinationList><destination type="urn:epcglobal:cbv:sdt:owning_party">urn:epc:id:pgln:0300011.00000</destination></destinationList></extension></ObjectEvent>\n`;
  }
  return `<ObjectEvent>${common}${list('epcList')}<action>ADD</action><bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep><disposition>urn:epcglobal:cbv:disp:active</disposition>${where}<extension><ilmd><cbvmda:lotNumber>${e.lot}</cbvmda:lotNumber><cbvmda:itemExpirationDate>${e.expiry}</cbvmda:itemExpirationDate></ilmd></extension></ObjectEvent>\n`;
}

export async function writeFiles(count: number, jsonFile: string, xmlFile: string): Promise<void> {
  const json = fs.createWriteStream(jsonFile);
  const xml = fs.createWriteStream(xmlFile);
  const write = async (s: fs.WriteStream, text: string) => {
    if (!s.write(text)) await new Promise<void>((r) => s.once('drain', () => r()));
  };
  await write(
    json,
    `{"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2024-01-01T00:00:00Z","epcisBody":{"eventList":[\n`,
  );
  await write(
    xml,
    `<?xml version="1.0" encoding="UTF-8"?>\n<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:1" xmlns:cbvmda="urn:epcglobal:cbv:mda" schemaVersion="1.2" creationDate="2024-01-01T00:00:00Z">\n<EPCISBody><EventList>\n`,
  );
  const step = 1000;
  for (let i = 0; i < count; i += step) {
    let j = '';
    let x = '';
    for (let k = i; k < Math.min(count, i + step); k++) {
      const e = generated(k);
      j += (k === 0 ? '' : ',\n') + jsonEvent(e);
      x += xmlEvent(e);
    }
    await write(json, j);
    await write(xml, x);
  }
  await write(json, '\n]}}\n');
  await write(xml, '</EventList></EPCISBody>\n</epcis:EPCISDocument>\n');
  json.end();
  xml.end();
  await Promise.all([finished(json), finished(xml)]);
}

async function writeGarbage(file: string, mb: number): Promise<void> {
  const out = fs.createWriteStream(file);
  const block = randomBytes(1024 * 1024);
  for (let i = 0; i < mb; i++) {
    if (!out.write(block)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  out.end();
  await finished(out);
}

if (process.argv[2] === '--epcis-worker') {
  await worker(process.argv[3]!, process.argv[4]!);
}
