import crypto from 'node:crypto';
import fs from 'node:fs';
import { EpcisReadError } from '../epcis/errors';
import { eventHash } from '../epcis/hash';
import type { Extension } from '../epcis/model';
import { readValidated } from '../epcis/pipeline';
import { fileSource, memorySource, type ByteSource } from '../epcis/text-source';
import { canonicalBytes } from '../ledger/jcs';
import { fsmaRecords } from '../formats/csv/fsma-rows';
import { csvMappingSchema, type CsvMapping } from '../formats/csv/mapping';
import { CsvError, parseCsv, sniffDelimiter } from '../formats/csv/parse';
import { t3Transactions } from '../formats/csv/t3';
import { fdaTemplateColumns, fdaTemplateCte } from '../formats/fsma/fda-template';
import { checkKdes } from '../formats/fsma/kdes';
import { detectFile, documentProblems, type Detected } from '../formats/detect';
import { parseShipNotices } from '../formats/x12/ship-notice';
import { X12Error } from '../formats/x12/segments';
import { finding, type RuleFinding } from '../model/findings';
import type { IngestFormat, IngestHeader, IngestRecord } from '../model/records';

/** Where a file's bytes are: a path the core can read (Electron, CLI), or the bytes themselves (host upload). */
export type IngestSource = { readonly path: string } | { readonly bytes: Uint8Array };

export type ReadItem =
  | { type: 'header'; header: IngestHeader }
  | {
      type: 'record';
      record: IngestRecord;
      /**
       * An EPCIS event's RFC 8785 text, when the reading thread made it: the ledger entry embeds it
       * as is (ledger/jcs.ts CanonicalText) instead of canonicalizing the event again on the
       * importing thread, the one that holds the write.
       */
      canonicalEvent?: string;
    }
  | { type: 'failure'; findings: RuleFinding[] };

/** How far into its file a read has come, for the estimate of how long an import still takes. */
export interface ReadProgress {
  /** Bytes of the file read so far (EPCIS streams; the other formats are read whole). */
  bytes: number;
}

/** The file's bytes as they stream, counted into `progress`. */
async function* counted(source: ByteSource, progress: ReadProgress | undefined): ByteSource {
  for await (const chunk of source) {
    if (progress !== undefined) progress.bytes += chunk.length;
    yield chunk;
  }
}

/** Largest non-EPCIS file read whole (X12 and CSV are small; EPCIS streams). */
const MAX_TABULAR_BYTES = 256 * 1024 * 1024;

export function byteSource(source: IngestSource): ByteSource {
  return 'path' in source ? fileSource(source.path) : memorySource(source.bytes);
}

export async function hashSource(source: IngestSource): Promise<{ hash: Buffer; size: number }> {
  const h = crypto.createHash('sha256');
  let size = 0;
  for await (const chunk of byteSource(source)) {
    h.update(chunk);
    size += chunk.length;
  }
  return { hash: h.digest(), size };
}

function head(source: IngestSource, n = 4096): Uint8Array {
  if ('bytes' in source) return source.bytes.subarray(0, n);
  const fd = fs.openSync(source.path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const read = fs.readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, read);
  } finally {
    fs.closeSync(fd);
  }
}

/** The format by the file's name and first bytes (formats/detect.ts), or why the file is held unread. */
export function detectFormat(
  req: { source: IngestSource; name: string },
  size: number,
  mapping?: CsvMapping,
): Detected {
  return detectFile(head(req.source), size, req.name, mapping?.kind === 'dscsa-t3' ? 'csv-t3' : 'csv-fsma');
}

function wholeText(source: IngestSource): string {
  if ('bytes' in source) {
    if (source.bytes.length > MAX_TABULAR_BYTES) throw new Error('the file is larger than 256 MiB');
    return new TextDecoder('utf-8', { fatal: true }).decode(source.bytes);
  }
  if (fs.statSync(source.path).size > MAX_TABULAR_BYTES) throw new Error('the file is larger than 256 MiB');
  return new TextDecoder('utf-8', { fatal: true }).decode(fs.readFileSync(source.path));
}

function recordHash(value: unknown): string {
  return crypto.createHash('sha256').update(canonicalBytes(value)).digest('hex');
}

/**
 * The reading half of an import: stream-parse and normalize the file, yielding its header, then each
 * record with its hash, and a failure for every record that cannot be read or fails its shape checks.
 * Nothing here touches the database (it may run on another thread, read-thread.ts); the business
 * rules run in apply.ts against the ledger's state.
 */
export async function* readRecords(
  source: IngestSource,
  format: IngestFormat,
  mapping: CsvMapping | undefined,
  signal?: AbortSignal,
  progress?: ReadProgress,
): AsyncGenerator<ReadItem> {
  switch (format) {
    case 'epcis-xml':
    case 'epcis-json':
      yield* readEpcisRecords(source, format, signal, progress);
      return;
    case 'x12-856':
      yield* readX12(source);
      return;
    case 'csv-t3':
    case 'csv-fsma':
      yield* readCsv(source, format, mapping);
      return;
  }
}

async function* readEpcisRecords(
  source: IngestSource,
  format: IngestFormat,
  signal?: AbortSignal,
  progress?: ReadProgress,
): AsyncGenerator<ReadItem> {
  try {
    // Tolerant: accept what real partners send when the meaning is unambiguous (EPCIS issue scope 4).
    for await (const item of readValidated(counted(byteSource(source), progress), { tolerant: true })) {
      signal?.throwIfAborted();
      if (item.type === 'document') {
        const d = item.document;
        yield {
          type: 'header',
          header: {
            format,
            ...(d.sbdh !== undefined ? { sbdh: d.sbdh } : {}),
            ...(d.sender !== undefined ? { sender: d.sender } : {}),
            ...(d.receiver !== undefined ? { receiver: d.receiver } : {}),
            ...statementOf(d.headerExtensions),
            products: d.products,
            locations: d.locations,
            notes: item.issues.filter((i) => i.severity === 'tolerated').map((i) => i.message),
          },
        };
        // No @context, no EPCISDocument type: not an EPCIS document, whatever its events say.
        const problems = documentProblems(format, item.issues);
        if (problems.length > 0) yield { type: 'failure', findings: problems };
        continue;
      }
      const position =
        item.position.pointer ??
        (item.position.line !== undefined ? `line ${item.position.line}` : `event ${item.index}`);
      const errors = item.issues.filter((i) => i.severity === 'error');
      if (item.event === undefined || errors.length > 0) {
        yield {
          type: 'failure',
          findings: errors.map((i) =>
            finding(i.code === 'bad-identifier' ? 'check-digit' : 'epcis-schema', i.message, item.index, {
              position,
              ...(i.field !== undefined ? { field: i.field } : {}),
            }),
          ),
        };
        continue;
      }
      const hash = eventHash(item.event).eventHashId;
      yield {
        type: 'record',
        record: { kind: 'epcis-event', index: item.index, position, event: item.event, hash },
      };
    }
  } catch (error) {
    if (error instanceof EpcisReadError) {
      yield {
        type: 'failure',
        findings: [finding('file-format', `the EPCIS file cannot be read: ${error.message}`, null)],
      };
      return;
    }
    throw error;
  }
}

/** The GS1 US DSCSA transaction statement in the EPCIS header (gs1ushc:dscsaTransactionStatement). */
export function statementOf(extensions: readonly Extension[] | undefined): {
  statement?: { affirmed: boolean; text?: string };
} {
  const ts = extensions?.find((x) => x.name === 'dscsaTransactionStatement');
  if (ts === undefined) return {};
  const affirmed =
    ts.children?.find((c) => c.name === 'affirmTransactionStatement')?.value?.trim() === 'true';
  const text = ts.children?.find((c) => c.name === 'legalNotice')?.value?.trim();
  return { statement: { affirmed, ...(text !== undefined ? { text } : {}) } };
}

async function* readX12(source: IngestSource): AsyncGenerator<ReadItem> {
  let parsed;
  try {
    parsed = parseShipNotices(wholeText(source));
  } catch (error) {
    yield { type: 'header', header: { format: 'x12-856', products: [], locations: [], notes: [] } };
    const where =
      error instanceof X12Error && error.segment !== undefined
        ? { position: `segment ${error.segment}` }
        : {};
    yield {
      type: 'failure',
      findings: [
        finding('file-format', `the X12 file cannot be read: ${(error as Error).message}`, null, where),
      ],
    };
    return;
  }
  yield { type: 'header', header: { format: 'x12-856', products: [], locations: [], notes: [] } };
  let index = 0;
  for (const { transaction, segment } of parsed.transactions) {
    yield {
      type: 'record',
      record: {
        kind: 'dscsa-transaction',
        index: index++,
        position: `segment ${segment}`,
        transaction,
        hash: recordHash(transaction),
      },
    };
  }
}

async function* readCsv(
  source: IngestSource,
  format: IngestFormat,
  given: CsvMapping | undefined,
): AsyncGenerator<ReadItem> {
  yield { type: 'header', header: { format, products: [], locations: [], notes: [] } };
  let rows;
  try {
    const text = wholeText(source);
    const firstLine = text.slice(0, text.indexOf('\n') >= 0 ? text.indexOf('\n') : text.length);
    rows = parseCsv(text, given?.delimiter ?? sniffDelimiter(firstLine));
  } catch (error) {
    const where = error instanceof CsvError ? { position: `line ${error.line}` } : {};
    yield {
      type: 'failure',
      findings: [
        finding('file-format', `the spreadsheet cannot be read: ${(error as Error).message}`, null, where),
      ],
    };
    return;
  }
  let mapping = given;
  if (mapping === undefined) {
    const cte = fdaTemplateCte(rows[0]?.fields ?? []);
    if (cte !== undefined) {
      mapping = csvMappingSchema.parse({
        kind: 'fsma-kde',
        cte,
        columns: fdaTemplateColumns(rows[0]!.fields),
      });
    }
  }
  if (mapping === undefined) {
    yield {
      type: 'failure',
      findings: [
        finding(
          'csv-mapping',
          "this spreadsheet is not in FDA's FSMA 204 template and no column mapping is saved for its partner: save a mapping under Partners, then reprocess it",
          null,
        ),
      ],
    };
    return;
  }
  if (mapping.kind === 'dscsa-t3') {
    const { transactions, findings } = t3Transactions(rows, mapping);
    if (findings.length > 0) yield { type: 'failure', findings };
    for (const { transaction, line, index } of transactions) {
      yield {
        type: 'record',
        record: {
          kind: 'dscsa-transaction',
          index,
          position: `line ${line}`,
          transaction,
          hash: recordHash(transaction),
        },
      };
    }
    return;
  }
  const { records, findings } = fsmaRecords(rows, mapping);
  if (findings.length > 0) yield { type: 'failure', findings };
  let index = 0;
  for (const { record, line, received } of records) {
    const position = `line ${line}`;
    const kdeFindings = checkKdes(record, index, position);
    if (kdeFindings.length > 0) yield { type: 'failure', findings: kdeFindings };
    else
      yield {
        type: 'record',
        // The hash is the record's alone: the row as received rides beside it (records.ts).
        record: { kind: 'fsma-record', index, position, record, hash: recordHash(record), received },
      };
    index++;
  }
}
