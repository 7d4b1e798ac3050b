import type { StampedDocument } from '../document';
import { writeJsonLd } from '../../epcis/write-jsonld';
import { writeXml } from '../../epcis/write-xml';

/*
 * EPCIS 2.0 JSON-LD and XML through the writers the converter uses: the events as stored at import,
 * the document's master data and header (the transaction statement), and the creation date of the
 * checkpoint's last entry, never the clock.
 */

async function* each<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

export async function renderEpcis(stamped: StampedDocument, format: 'jsonld' | 'xml'): Promise<Buffer> {
  const epcis = stamped.document.epcis;
  if (epcis === undefined) throw new Error(`the ${stamped.kind} report has no EPCIS form`);
  const document = { ...epcis.document, creationDate: stamped.stamp.time };
  const parts: string[] = [];
  const write = format === 'jsonld' ? writeJsonLd : writeXml;
  for await (const chunk of write(document, each(epcis.events))) parts.push(chunk);
  return Buffer.from(parts.join(''), 'utf8');
}
