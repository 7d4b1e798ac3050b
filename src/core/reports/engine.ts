import crypto from 'node:crypto';
import { ApiError } from '../api/errors';
import type { Registrant } from '../api/procedures/setup';
import { parseCheckpointText } from '../ledger/checkpoint';
import { parseNote } from '../ledger/note';
import type { Snapshot } from '../ledger/snapshot';
import type { RegistrantBlock, ReportStamp, StampedDocument } from './document';
import type { ReportFormat, ReportParams } from './kind';
import { kindById } from './registry';
import { renderCsv } from './render/csv';
import { renderEpcis } from './render/epcis';
import { renderFixedWidth } from './render/fixed-width';
import { renderPdf } from './render/pdf';
import { renderXlsx } from './render/xlsx';
import { checkpointAt, reportSource, type SourceCheckpoint } from './source';

/*
 * The engine: snapshot → kind (pure) → document model → stamp → renderer. build() runs inside one
 * read transaction (LedgerService.read), synchronously; render() works on the stamped document
 * alone, so a file depends on nothing but the kind, the parameters and the checkpoint.
 */

export interface ReportRequest {
  readonly kind: string;
  readonly format: ReportFormat;
  readonly params: ReportParams;
  /** An earlier checkpoint of this ledger, by tree size; the newest when absent. */
  readonly at?: number;
}

export interface BuiltReport {
  readonly stamped: StampedDocument;
  /** The time of the last entry the checkpoint covers (ms): the file's dates. */
  readonly time: number;
  /** The parameters as given, without empty ones, in a fixed key order. */
  readonly params: ReportParams;
}

export const MEDIA_TYPES: Record<ReportFormat, string> = {
  pdf: 'application/pdf',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  jsonld: 'application/ld+json',
  xml: 'application/xml',
  txt: 'text/plain; charset=us-ascii',
};

const EXTENSIONS: Record<ReportFormat, string> = {
  pdf: 'pdf',
  csv: 'csv',
  xlsx: 'xlsx',
  jsonld: 'jsonld',
  xml: 'xml',
  txt: 'txt',
};

export function cleanParams(params: ReportParams): ReportParams {
  const out: Record<string, string> = {};
  for (const key of Object.keys(params).sort()) {
    const value = params[key as keyof ReportParams]?.trim();
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

export function registrantBlock(registrant: Registrant | null): RegistrantBlock {
  if (registrant === null) return { name: 'Registrant not set up', lines: [] };
  const a = registrant.address;
  const street = [a.line1, a.line2].filter((s) => s !== undefined && s !== '').join(', ');
  const city = `${a.city}, ${a.state} ${a.zip}`;
  const lines = [
    [street, city].filter((s) => s !== '').join(', '),
    [
      `DEA ${registrant.deaNumber}`,
      `State license ${registrant.stateLicense}`,
      ...(registrant.phone !== undefined ? [`Phone ${registrant.phone}`] : []),
    ].join(' · '),
    ...(registrant.glns.length > 0 ? [`GLN ${registrant.glns.join(', ')}`] : []),
  ].filter((l) => l !== '');
  // A demo ledger's reports say so on their face (every PDF page, the About part of CSV and XLSX).
  if (registrant.demo === true) return { name: `DEMO · ${registrant.name}`, lines: [DEMO_LINE, ...lines] };
  return { name: registrant.name, lines };
}

const DEMO_LINE = 'DEMO DATA: a fictional pharmacy for trying Custodia, not a compliance record.';

export function stampOf(checkpoint: SourceCheckpoint, time: number): ReportStamp {
  const note = parseNote(checkpoint.note);
  const body = parseCheckpointText(note.text);
  const rootBase64 = checkpoint.root.toString('base64');
  return {
    size: checkpoint.size,
    rootHex: checkpoint.root.toString('hex'),
    rootBase64,
    keyIds: note.signatures.map((s) => `${s.name}+${s.keyId.toString(16).padStart(8, '0')}`),
    origin: body.origin,
    time: new Date(time).toISOString(),
    howToCheck:
      `To check: "custodia audit verify" on an audit bundle of this ledger ("custodia audit export") must show the checkpoint ` +
      `of tree size ${checkpoint.size} with root ${rootBase64}; "custodia report check FILE" names the ledger entry that records this file.`,
  };
}

/** Builds the stamped document of a request on a snapshot (synchronous: inside the read). */
export function buildReport(snapshot: Snapshot, request: ReportRequest): BuiltReport {
  const kind = kindById(request.kind);
  if (!kind.formats.includes(request.format)) {
    throw new ApiError(
      'invalid-input',
      `The ${kind.title} report comes as ${kind.formats.join(', ')}, not ${request.format}.`,
      { rule: 'report-format', formats: kind.formats },
    );
  }
  const params = cleanParams(request.params);
  const parsed = kind.params.safeParse(params);
  if (!parsed.success) {
    throw new ApiError('invalid-input', parsed.error.issues.map((i) => i.message).join('; '), {
      rule: 'report-parameters',
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  const checkpoint = checkpointAt(snapshot, request.at);
  const source = reportSource(snapshot, checkpoint);
  const document = kind.build(source, parsed.data);
  return {
    stamped: {
      kind: kind.id,
      document,
      registrant: registrantBlock(source.registrant),
      stamp: stampOf(checkpoint, source.time),
    },
    time: source.time,
    params,
  };
}

/** The file of a built report in one format. Same built report, same bytes. */
export async function renderReport(built: BuiltReport, format: ReportFormat): Promise<Buffer> {
  switch (format) {
    case 'pdf':
      return renderPdf(built.stamped, built.time);
    case 'csv':
      return renderCsv(built.stamped);
    case 'xlsx':
      return renderXlsx(built.stamped, built.time);
    case 'jsonld':
    case 'xml':
      return renderEpcis(built.stamped, format);
    case 'txt':
      return renderFixedWidth(built.stamped);
  }
}

export function sha256Hex(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

/** A file name that says what the report is: kind, what was asked, checkpoint size. */
export function reportFileName(built: BuiltReport, format: ReportFormat): string {
  const asked = Object.values(built.params)
    .map((v) => v.replace(/[^A-Za-z0-9._-]+/g, '_'))
    .join('-')
    .slice(0, 60);
  return `${built.stamped.kind}${asked ? `-${asked}` : ''}-at${built.stamped.stamp.size}.${EXTENSIONS[format]}`;
}
