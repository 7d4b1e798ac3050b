import path from 'node:path';
import { ApiError } from '../api/errors';
import type { ingestProcedures } from '../api/procedures/ingest';
import type { Handlers } from '../api/router';
import type { LedgerService } from '../ledger/service';
import { actorOf } from '../auth';
import { type Jobs } from '../platform/jobs';
import { expirePending } from './expire';
import { importFile, importPhaseLabel, type ImportResult } from './pipeline';
import { runningImports } from './running';
import { listFiles, listPending } from './store';
import { uploadStaging, type ClaimedUpload } from './uploads';

export function ingestHandlers(service: LedgerService, jobs: Jobs): Handlers<typeof ingestProcedures> {
  return {
    'ingest.import': (input, call) =>
      service.use(async (ctx) => {
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
      service.read((snapshot) => listFiles(snapshot.db, input?.limit ?? 100, input?.offset ?? 0)),
    'ingest.pending': (input) => service.read((snapshot) => listPending(snapshot.db, input?.limit ?? 100)),
    // Never waits: it answers while the import it describes holds the writer.
    'ingest.running': () => {
      const ledger = service.currentWorkspace?.ledger;
      return { imports: ledger === undefined ? [] : runningImports(ledger) };
    },
    'ingest.expirePending': (input, call) =>
      service.use((ctx) => expirePending(ctx, input.days, actorOf(call).id)),
  };
}
