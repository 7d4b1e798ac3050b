import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EpcisDocument, EpcisEvent } from '../../src/core/epcis/model';
import { readValidated } from '../../src/core/epcis/pipeline';
import { memorySource } from '../../src/core/epcis/text-source';
import { writeJsonLd } from '../../src/core/epcis/write-jsonld';
import { FIXTURES, freshContext, importText } from './helpers';

async function toJsonLd(xml: Buffer): Promise<string> {
  let document: EpcisDocument | undefined;
  const events: EpcisEvent[] = [];
  for await (const item of readValidated(memorySource(xml), { tolerant: true })) {
    if (item.type === 'document') document = item.document;
    else if (item.event !== undefined) events.push(item.event);
  }
  let out = '';
  for await (const chunk of writeJsonLd(
    document!,
    (async function* () {
      yield* events;
    })(),
  ))
    out += chunk;
  return out;
}

describe('the same events as EPCIS XML and JSON-LD', () => {
  it('get the same identity: the JSON-LD copy of an imported XML file is all duplicates; alone it imports with its statement', async () => {
    const xml = fs.readFileSync(path.join(FIXTURES, 'GS1_US_Pharma_Example_2_2_1_1.xml'));
    const jsonld = await toJsonLd(xml);
    const ctx = await freshContext();
    expect(await importText(ctx, 'example.xml', xml)).toMatchObject({ status: 'imported', imported: 8 });
    expect(await importText(ctx, 'example.jsonld', jsonld)).toMatchObject({
      status: 'imported',
      format: 'epcis-json',
      imported: 0,
      duplicates: 8,
    });
    const fresh = await freshContext();
    expect(await importText(fresh, 'example.jsonld', jsonld)).toMatchObject({
      status: 'imported',
      imported: 8,
    });
    expect(fresh.db.prepare('SELECT statement FROM shipments').pluck().get()).toBe(1);
  });
});
