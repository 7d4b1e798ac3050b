import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { eventHash, type HashOrder } from '../../src/core/epcis/hash';
import type { EpcisDocument, EpcisEvent } from '../../src/core/epcis/model';
import { readValidated, type ValidatedItem } from '../../src/core/epcis/pipeline';
import { fileSource, memorySource } from '../../src/core/epcis/text-source';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'epcis');

export function fixture(...parts: string[]): string {
  return join(FIXTURES, ...parts);
}

export function listFiles(dir: string, pattern = /\.(xml|json|jsonld)$/): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d).sort()) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (pattern.test(f)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

export function rel(path: string): string {
  return relative(FIXTURES, path);
}

export interface Loaded {
  document: EpcisDocument | undefined;
  documentIssues: Extract<ValidatedItem, { type: 'document' }>['issues'];
  events: Extract<ValidatedItem, { type: 'event' }>[];
}

export async function load(
  pathOrText: string,
  options: { tolerant?: boolean; inline?: boolean } = {},
): Promise<Loaded> {
  const source = options.inline === true ? memorySource(pathOrText) : fileSource(pathOrText);
  const out: Loaded = { document: undefined, documentIssues: [], events: [] };
  for await (const item of readValidated(source, { tolerant: options.tolerant ?? false })) {
    if (item.type === 'document') {
      out.document = item.document;
      out.documentIssues = item.issues;
    } else out.events.push(item);
  }
  return out;
}

export function hashes(loaded: Loaded, order: HashOrder = 'published'): string[] {
  const ignoreFields = loaded.document?.hashIgnoreFields;
  return loaded.events.map(
    (e) =>
      eventHash(e.candidate as EpcisEvent, { order, ...(ignoreFields !== undefined ? { ignoreFields } : {}) })
        .eventHashId,
  );
}

export function errors(loaded: Loaded): string[] {
  return [
    ...loaded.documentIssues.filter((i) => i.severity === 'error').map((i) => `document: ${i.message}`),
    ...loaded.events.flatMap((e) =>
      e.issues.filter((i) => i.severity === 'error').map((i) => `event ${e.index}: ${i.message}`),
    ),
  ];
}
