import path from 'node:path';
import { ApiError } from '../api/errors';
import type { ingestProcedures } from '../api/procedures/ingest';
import type { partnersProcedures } from '../api/procedures/partners';
import type { Handlers } from '../api/router';
import { KDES, LOCATION_PARTS, PRODUCT_PARTS } from '../formats/fsma/kdes';
import { T3_FIELDS } from '../formats/csv/mapping';
import type { LedgerService } from '../ledger/service';
import { actorOf, withTrace, type Jobs } from './handlers-common';
import { getMapping, listPartners, saveMapping, savePartner } from './partners';
import { expirePending } from './expire';
import { importFile, importPhaseLabel, type ImportResult } from './pipeline';
import { uploadStaging, type ClaimedUpload } from './uploads';

export function ingestHandlers(
  service: LedgerService,
  jobs: Jobs,
): Handlers<typeof ingestProcedures & typeof partnersProcedures> {
  return {
    'ingest.import': (input, call) =>
      withTrace(service, async (ctx) => {
        // Over the headless host a path would name a file on the server, not the person's machine:
        // uploads there carry the bytes, or the id of a file streamed to the host first.
        if (call.transport === 'http' && input.files.some((f) => 'path' in f)) {
          throw new ApiError(
            'forbidden',
            'Over the web host, upload the file itself (PUT /uploads, or name and base64), not a path on the server.',
          );
        }
        const job = jobs.start(input.jobId);
        const results: ImportResult[] = [];
        // Streamed uploads are claimed (all, by this same person) before anything is imported, and
        // deleted when the call ends: a rejected file's bytes are copied into quarantine during its
        // import, so nothing needs the staged file afterwards.
        const staging = uploadStaging(ctx.dataDir);
        let claimed: ClaimedUpload[] = [];
        try {
          const uploads = input.files.filter(
            (f): f is Extract<typeof f, { upload: string }> => 'upload' in f,
          );
          claimed = uploads.length === 0 ? [] : staging.claim(actorOf(call).id, uploads);
          const stagedFile = new Map(uploads.map((f, i) => [f, claimed[i]!.file]));
          for (const [i, file] of input.files.entries()) {
            const name = 'path' in file ? path.basename(file.path) : file.name;
            const source =
              'path' in file
                ? { path: file.path }
                : 'upload' in file
                  ? { path: stagedFile.get(file)! }
                  : { bytes: Buffer.from(file.base64, 'base64') };
            const label = `${name} (${i + 1} of ${input.files.length})`;
            call.emit({
              topic: 'job.progress',
              jobId: job.id,
              label: `Reading ${label}`,
              done: 0,
              total: null,
            });
            const result = await importFile(
              ctx,
              {
                source,
                name,
                origin: 'path' in file ? 'path' : 'upload',
                ...(input.partnerId !== undefined ? { partnerId: input.partnerId } : {}),
                ...(input.mappingId !== undefined ? { mappingId: input.mappingId } : {}),
                ...(input.format !== undefined ? { format: input.format } : {}),
              },
              {
                actor: actorOf(call).id,
                signal: job.signal,
                onProgress: (phase, done) =>
                  call.emit({
                    topic: 'job.progress',
                    jobId: job.id,
                    label: importPhaseLabel(phase, label),
                    done,
                    total: null,
                  }),
              },
            );
            results.push(result);
            if (result.status === 'cancelled') break;
          }
          const quarantined = results.filter((r) => r.status === 'quarantined').length;
          const cancelled = results.some((r) => r.status === 'cancelled');
          call.emit({
            topic: 'job.finished',
            jobId: job.id,
            ok: quarantined === 0 && !cancelled,
            message: cancelled
              ? 'Import cancelled.'
              : `${results.length - quarantined} file(s) imported or already imported, ${quarantined} quarantined.`,
          });
          return { results };
        } catch (error) {
          call.emit({
            topic: 'job.finished',
            jobId: job.id,
            ok: false,
            message: 'Import failed; nothing of the failing file was kept.',
          });
          if (
            error instanceof Error &&
            'code' in error &&
            (error as NodeJS.ErrnoException).code === 'ENOENT'
          ) {
            throw new ApiError(
              'not-found',
              `The file ${(error as NodeJS.ErrnoException).path ?? ''} does not exist.`,
            );
          }
          throw error;
        } finally {
          staging.discard(claimed);
          job.done();
        }
      }),
    'ingest.cancel': (input) => ({ cancelled: jobs.cancel(input.jobId) }),
    'ingest.files': (input) =>
      withTrace(service, (ctx) => {
        const limit = input?.limit ?? 100;
        const offset = input?.offset ?? 0;
        const rows = ctx.db
          .prepare(
            'SELECT id, name, format, file_hash AS hash, records, imported, duplicates, pending, imported_ms AS importedMs, ledger_seq AS ledgerSeq FROM ingest_files ORDER BY id DESC LIMIT ? OFFSET ?',
          )
          .all(limit, offset) as {
          id: number;
          name: string;
          format: string;
          hash: Buffer;
          records: number;
          imported: number;
          duplicates: number;
          pending: number;
          importedMs: number;
          ledgerSeq: number;
        }[];
        return {
          files: rows.map(({ hash, ...r }) => ({ ...r, fileHash: hash.toString('hex') })),
          total: ctx.db.prepare('SELECT count(*) FROM ingest_files').pluck().get() as number,
        };
      }),
    'ingest.pending': (input) =>
      withTrace(service, (ctx) => ({
        pending: ctx.db
          .prepare(
            `SELECT f.name AS file, e.file_index AS record, e.event_type AS eventType, e.biz_step AS bizStep, p.reason, p.since_ms AS sinceMs
             FROM pending_events p JOIN trace_events e ON e.id = p.event_id JOIN ingest_files f ON f.id = e.file_id
             ORDER BY p.since_ms, e.id LIMIT ?`,
          )
          .all(input?.limit ?? 100) as {
          file: string;
          record: number;
          eventType: string;
          bizStep: string | null;
          reason: string;
          sinceMs: number;
        }[],
        total: ctx.db.prepare('SELECT count(*) FROM pending_events').pluck().get() as number,
      })),
    'ingest.expirePending': (input, call) =>
      withTrace(service, (ctx) => expirePending(ctx, input.days, actorOf(call).id)),
    'partners.list': () => withTrace(service, (ctx) => ({ partners: listPartners(ctx) })),
    'partners.save': (input, call) =>
      withTrace(service, async (ctx) => ({ id: await savePartner(ctx, input, actorOf(call).id) })),
    'partners.saveMapping': (input, call) =>
      withTrace(service, async (ctx) => ({
        id: await saveMapping(ctx, input.partnerId, input.name, input.mapping, actorOf(call).id),
      })),
    'partners.mapping': (input) =>
      withTrace(service, (ctx) => {
        const mapping = getMapping(ctx, input.id);
        if (mapping === undefined) throw new ApiError('not-found', `There is no saved mapping ${input.id}.`);
        return { mapping };
      }),
    'partners.mappingFields': () => ({
      t3: [...T3_FIELDS],
      fsma: Object.fromEntries(
        Object.entries(KDES).map(([cte, specs]) => [
          cte,
          specs.map((s) => ({
            key: s.key,
            label: s.label,
            cite: `21 CFR ${s.cite}`,
            parts:
              s.kind === 'location'
                ? LOCATION_PARTS.map((p) => `${s.key}.${p}`)
                : s.kind === 'product'
                  ? PRODUCT_PARTS.map((p) => `${s.key}.${p}`)
                  : s.kind === 'quantity'
                    ? [s.key, `${s.key}Unit`]
                    : s.kind === 'refdoc'
                      ? ['refDocType', 'refDocNumber']
                      : [s.key],
          })),
        ]),
      ),
    }),
  };
}
