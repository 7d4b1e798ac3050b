import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { ReportGeneration, reportsProcedures } from '../api/procedures/reports';
import type { CallContext, Handlers } from '../api/router';
import { recordDisclosure, viewerOf } from '../ledger/access-log';
import type { LedgerService } from '../ledger/service';
import { readEntries, type Entry } from '../ledger/workspace';
import {
  buildReport,
  MEDIA_TYPES,
  renderReport,
  reportFileName,
  sha256Hex,
  type BuiltReport,
  type ReportRequest,
} from './engine';
import { REPORT_KINDS } from './registry';

/** The ledger entry that records each report handed over. */
export const REPORT_GENERATED = 'reports.generated';

/** What a reports.generated entry holds (never the report's content). */
export interface GeneratedPayload {
  /** The line the Ledger page shows. */
  readonly summary: string;
  readonly kind: string;
  readonly format: ReportRequest['format'];
  readonly params: Record<string, string>;
  readonly checkpointSize: number;
  readonly checkpointRoot: string;
  readonly sha256: string;
  readonly fileName: string;
  readonly bytes: number;
  readonly personName: string | null;
}

function generationOf(entry: Entry, names: Map<string, string>): ReportGeneration {
  const p = entry.payload as unknown as GeneratedPayload;
  return {
    seq: entry.seq,
    time: new Date(entry.time).toISOString(),
    person: entry.actor,
    personName: p.personName ?? names.get(entry.actor) ?? null,
    kind: p.kind,
    format: p.format,
    params: p.params,
    checkpointSize: p.checkpointSize,
    checkpointRoot: p.checkpointRoot,
    sha256: p.sha256,
    fileName: p.fileName,
    bytes: p.bytes,
  };
}

function userNames(db: Database): Map<string, string> {
  const rows = db.prepare('SELECT user_id AS id, display_name AS name FROM users').all() as {
    id: string;
    name: string;
  }[];
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Every generation recorded in the ledger, oldest first. */
export function listGenerations(db: Database): ReportGeneration[] {
  const names = userNames(db);
  return [...readEntries(db, [REPORT_GENERATED])].map((e) => generationOf(e, names));
}

function preview(built: BuiltReport, rows = 12) {
  const { document: doc, registrant, stamp } = built.stamped;
  return {
    kind: built.stamped.kind,
    title: doc.title,
    subtitle: doc.subtitle ?? null,
    registrant: { name: registrant.name, lines: [...registrant.lines] },
    parameters: doc.parameters.map((p) => ({ ...p })),
    empty: doc.empty,
    stamp: { ...stamp, keyIds: [...stamp.keyIds] },
    sections: doc.sections.map((s) => ({
      heading: s.heading,
      paragraphs: [...(s.paragraphs ?? [])],
      fields: (s.fields ?? []).map((f) => ({ ...f })),
      table:
        s.table === undefined
          ? null
          : {
              columns: s.table.columns.map((c) => ({ header: c.header, type: c.type })),
              rows: s.table.rows.slice(0, rows).map((r) => [...r]),
              total: s.table.rows.length,
            },
      emptyText: s.emptyText ?? null,
    })),
  };
}

async function recordSerialsShown(
  service: LedgerService,
  call: CallContext,
  procedure: string,
  built: BuiltReport,
): Promise<void> {
  const doc = built.stamped.document;
  if (doc.disclosedSerials === 0) return;
  const viewer = viewerOf(call);
  await service.use((ws) =>
    recordDisclosure(
      ws,
      viewer,
      { procedure, transport: call.transport },
      { records: { trace_ids: [...(doc.disclosedIds ?? [])] }, identifiers: doc.disclosedSerials },
    ),
  );
}

export function reportsHandlers(service: LedgerService): Handlers<typeof reportsProcedures> {
  return {
    'reports.kinds': () =>
      service.read((snapshot) => ({
        kinds: REPORT_KINDS.map((k) => ({
          id: k.id,
          family: k.family,
          title: k.title,
          summary: k.summary,
          formats: [...k.formats],
          fields: k.fields.map((f) => ({ ...f })),
        })),
        checkpoint: snapshot.checkpoint === null ? null : { size: snapshot.checkpoint.size },
      })),

    'reports.preview': async (input, call) => {
      viewerOf(call);
      const built = await service.read((snapshot) => buildReport(snapshot, input));
      // A preview that shows serials records who saw them, as a trace does.
      await recordSerialsShown(service, call, 'reports.preview', built);
      return preview(built);
    },

    'reports.generate': async (input, call) => {
      const viewer = viewerOf(call);
      // Built on the snapshot: never waits for an import, never sees half of one.
      const built = await service.read((snapshot) => buildReport(snapshot, input));
      const bytes = await renderReport(built, input.format);
      const sha256 = sha256Hex(bytes);
      const fileName = reportFileName(built, input.format);
      await recordSerialsShown(service, call, 'reports.generate', built);
      return service.use(async (ws) => {
        const names = userNames(ws.db);
        const asked = Object.entries(built.params)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ');
        const payload: GeneratedPayload = {
          summary: `${built.stamped.kind} (${input.format})${asked ? ` for ${asked}` : ''} from checkpoint ${built.stamped.stamp.size}, SHA-256 ${sha256.slice(0, 16)}…`,
          kind: built.stamped.kind,
          format: input.format,
          params: { ...built.params } as Record<string, string>,
          checkpointSize: built.stamped.stamp.size,
          checkpointRoot: built.stamped.stamp.rootHex,
          sha256,
          fileName,
          bytes: bytes.length,
          personName: call.principal?.displayName ?? names.get(viewer.userId) ?? null,
        };
        // The entry commits first (it waits for the writer like any write); only then is the file
        // handed over, so every report that leaves the pharmacy is in the ledger.
        const time = ws.now();
        const checkpoint = await ws.checkpoint({
          type: REPORT_GENERATED,
          actor: viewer.userId,
          payload: payload as unknown as Record<string, unknown>,
          time,
        });
        const dir = path.join(ws.dataDir, 'exports');
        fs.mkdirSync(dir, { recursive: true });
        const file = path.join(dir, fileName);
        const partial = `${file}.partial`;
        fs.writeFileSync(partial, bytes);
        fs.renameSync(partial, file);
        return {
          path: file,
          fileName,
          mediaType: MEDIA_TYPES[input.format],
          sha256,
          bytes: bytes.length,
          empty: built.stamped.document.empty,
          stamp: { ...built.stamped.stamp, keyIds: [...built.stamped.stamp.keyIds] },
          generation: generationOf(
            {
              seq: checkpoint.size - 1,
              type: REPORT_GENERATED,
              time,
              actor: viewer.userId,
              payload: { ...payload },
            },
            names,
          ),
        };
      });
    },

    'reports.history': (input) =>
      service.read((snapshot) => {
        const all = listGenerations(snapshot.db).reverse();
        return { generations: all.slice(0, input?.limit ?? 200), total: all.length };
      }),

    'reports.check': (input) =>
      service.read((snapshot) => ({
        matches: listGenerations(snapshot.db).filter((g) => g.sha256 === input.sha256),
      })),
  };
}
