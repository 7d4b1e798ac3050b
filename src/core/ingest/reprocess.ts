import { actorOf } from '../auth';
import type { LedgerService } from '../ledger/service';
import type { Workspace } from '../ledger/workspace';
import type { IngestFormat } from '../model/records';
import type { Jobs } from '../platform/jobs';
import { QuarantineError, quarantineRow, rawChunks, type Reprocess } from '../quarantine';
import { importFile, importPhaseLabel, type ImportResult } from './pipeline';

/**
 * Runs the quarantined bytes through the import again (after master data was fixed): imported means
 * the item is closed as reprocessed in the same transaction; rejected again keeps it open with the
 * new reasons and one more attempt.
 */
export async function reprocessQuarantine(
  ctx: Workspace,
  id: number,
  actor: string,
  options: {
    signal?: AbortSignal;
    onProgress?: (phase: 'reading' | 'committing', done: number) => void;
    /** A partner and column mapping chosen now (a CSV that came without one). */
    partnerId?: number;
    mappingId?: number;
  } = {},
): Promise<ImportResult> {
  const item = quarantineRow(ctx.db, id);
  if (item === undefined) throw new QuarantineError('not-found', `There is no quarantine item ${id}.`);
  if (item.status !== 'open')
    throw new QuarantineError('conflict', `Quarantine item ${id} is already ${item.status}.`);
  if (item.kind === 'event') {
    throw new QuarantineError(
      'conflict',
      `Quarantine item ${id} is one event of a file that was imported; it was rejected when its predecessor arrived. Ask the partner for a corrected event (an EPCIS error declaration and a corrective event), import that, then close this item with a reason.`,
    );
  }
  const bytes = Buffer.concat([...rawChunks(ctx.db, id)]);
  const { partnerId, mappingId, ...run } = options;
  const partner = partnerId ?? item.partner_id ?? undefined;
  const mapping = mappingId ?? item.mapping_id ?? undefined;
  return importFile(
    ctx,
    {
      source: { bytes },
      name: item.file_name,
      origin: `reprocess of quarantine item ${id}`,
      // A newly chosen mapping decides between a T3 and an FSMA sheet: detect the format again.
      ...(mappingId === undefined ? { format: item.format as IngestFormat } : {}),
      ...(partner !== undefined ? { partnerId: partner } : {}),
      ...(mapping !== undefined ? { mappingId: mapping } : {}),
    },
    { actor, quarantineId: id, ...run },
  );
}

/** The `quarantine.reprocess` procedure: quarantine lists and closes items, import reprocesses them. */
export function reprocessHandler(service: LedgerService, jobs: Jobs): Reprocess {
  return (input, call) =>
    service.use(async (ctx) => {
      const job = jobs.start(input.jobId);
      try {
        return await reprocessQuarantine(ctx, input.id, actorOf(call).id, {
          ...(input.partnerId !== undefined ? { partnerId: input.partnerId } : {}),
          ...(input.mappingId !== undefined ? { mappingId: input.mappingId } : {}),
          signal: job.signal,
          onProgress: (phase, done) =>
            call.emit({
              topic: 'job.progress',
              jobId: job.id,
              label: importPhaseLabel(phase, 'the file'),
              done,
              total: null,
            }),
        });
      } finally {
        job.done();
      }
    });
}
