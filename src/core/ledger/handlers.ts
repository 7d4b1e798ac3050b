import crypto from 'node:crypto';
import path from 'node:path';
import { ApiError } from '../api/errors';
import type { ledgerProcedures } from '../api/procedures/ledger';
import type { Handlers } from '../api/router';
import { recordDisclosure, viewerOf } from './access-log';
import { backupFolder, backupLedger, describeBackups, setBackupFolder } from './backup';
import { exportBundle } from './bundle';
import { listEntries } from './entries';
import { leafHash } from './merkle';
import type { LedgerService } from './service';
import { verifyLedger } from './verify';

/** Entry types whose payload names serials, SSCCs or lot codes in clear (imported records, receiving). */
function carriesIdentifiers(type: string): boolean {
  return (
    type === 'ingest.event' ||
    type === 'ingest.transaction' ||
    type === 'ingest.error-declaration' ||
    type === 'ingest.fsma-record' ||
    type.startsWith('receiving.')
  );
}

interface LeafView {
  actor: string;
  payload: unknown;
}

export function ledgerHandlers(service: LedgerService): Handlers<typeof ledgerProcedures> {
  const backups = () => {
    const folder = backupFolder(service.dataDir);
    return { folder, backups: describeBackups(folder) };
  };
  return {
    'ledger.backups': () => backups(),

    'ledger.backup': (input) =>
      service.use(async ({ ledger, dataDir }) => {
        const folder = input?.folder ?? backupFolder(dataDir);
        if (folder === undefined || folder === null)
          throw new ApiError('invalid-input', 'Choose the folder backups go to first.');
        if (!path.isAbsolute(folder))
          throw new ApiError('invalid-input', 'Give the backup folder as a full path (it starts with /).');
        await backupLedger(ledger, folder, service.now());
        if (input?.folder !== undefined) setBackupFolder(dataDir, folder);
        return backups();
      }),

    'ledger.status': async () => {
      // Public: it opens an existing ledger but never creates one for an anonymous caller.
      if (service.current === null && service.exists()) {
        await service.use(() => undefined).catch(() => undefined);
      }
      const { state, message } = service.status();
      const ledger = service.current;
      return {
        state,
        message,
        size: ledger?.size ?? null,
        origin: ledger?.origin ?? null,
        checkpoint: ledger !== null && ledger.size > 0 ? ledger.latestCheckpoint().note : null,
        alarms: ledger ? ledger.alarms().map((a) => ({ ...a })) : [],
      };
    },

    'ledger.entries': (input) =>
      service.read(({ db }) => {
        const { rows, total } = listEntries(db, input);
        const entries = rows.map((row) => {
          const view = JSON.parse(row.leaf.toString('utf8')) as LeafView;
          return {
            seq: row.seq,
            time: row.time_ms,
            type: row.type,
            actor: view.actor,
            summary: summarize(view.payload),
          };
        });
        const last = rows[rows.length - 1];
        return { entries, total, nextBeforeSeq: rows.length === input.limit && last ? last.seq : null };
      }),

    'ledger.entry': (input, call) =>
      service.use(async (ws) => {
        const ledger = ws.ledger;
        const leaf = ledger.leaf(input.seq);
        if (leaf === undefined) throw new ApiError('not-found', `There is no ledger entry ${input.seq}.`);
        const checkpoint = ledger.latestCheckpoint();
        const view = JSON.parse(leaf.toString('utf8')) as LeafView & { type: string; time: number };
        if (carriesIdentifiers(view.type)) {
          // The entry goes out whole, serials included: who looked is recorded first, as for a trace.
          await recordDisclosure(
            ws,
            viewerOf(call),
            { procedure: 'ledger.entry', transport: call.transport },
            { records: { ledger_leaves: [input.seq] }, identifiers: 0, entries: 1 },
          );
        }
        return {
          seq: input.seq,
          time: view.time,
          type: view.type,
          actor: view.actor,
          canonicalJson: leaf.toString('utf8'),
          leafHash: leafHash(leaf).toString('base64'),
          proof: {
            treeSize: checkpoint.size,
            root: checkpoint.root.toString('base64'),
            path: ledger.inclusionProof(input.seq, checkpoint.size).map((h) => h.toString('base64')),
          },
          checkpoint: checkpoint.note,
        };
      }),

    'ledger.verify': (input, ctx) =>
      service.use(async ({ ledger }) => {
        const jobId = input?.jobId ?? crypto.randomUUID();
        const verdict = await verifyLedger(ledger, {
          onProgress: (done, total) =>
            ctx.emit({ topic: 'job.progress', jobId, label: 'Verifying the ledger', done, total }),
        });
        service.noteVerdict(verdict.status, verdict.message);
        ctx.emit({
          topic: 'job.finished',
          jobId,
          ok: verdict.status === 'consistent',
          message: verdict.message,
        });
        return {
          jobId,
          status: verdict.status,
          message: verdict.message,
          firstBadSeq: verdict.status === 'inconsistent' ? verdict.firstBadSeq : null,
          lastBadSeq: verdict.status === 'inconsistent' ? (verdict.lastBadSeq ?? null) : null,
          records: verdict.status === 'consistent' ? verdict.records : null,
        };
      }),

    'ledger.checkpoint': () =>
      service.use(({ ledger }) => {
        const checkpoint = ledger.latestCheckpoint();
        return {
          note: checkpoint.note,
          size: checkpoint.size,
          root: checkpoint.root.toString('base64'),
          verifierKey: ledger.signingKeys().current.vkey,
        };
      }),

    'audit.export': (input, ctx) =>
      service.use(async (ws) => {
        const ledger = ws.ledger;
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        const file = path.join(ws.dataDir, 'exports', `custodia-audit-${stamp}.bundle`);
        const result = await exportBundle(ws, file, {
          actor: ctx.principal?.userId ?? 'unknown',
          ...(input?.fromMs !== undefined ? { fromMs: input.fromMs } : {}),
          ...(input?.toMs !== undefined ? { toMs: input.toMs } : {}),
        });
        return {
          path: result.file,
          first: result.first,
          end: result.end,
          checkpoints: result.checkpoints,
          verifierKey: ledger.signingKeys().current.vkey,
          alarm: result.alarm,
        };
      }),
  };
}

/** One line for the table: the payload's own summary, or its top-level plain values. */
export function summarize(payload: unknown): string {
  if (typeof payload !== 'object' || payload === null) return payload === null ? '' : String(payload);
  const record = payload as Record<string, unknown>;
  if (typeof record.summary === 'string') return record.summary.slice(0, 160);
  const parts = Object.entries(record)
    .filter(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v))
    .map(([k, v]) => `${k}: ${String(v)}`);
  const text = parts.join(', ');
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}
