import { ApiError } from '../api/errors';
import type { foldersProcedures } from '../api/procedures/folders';
import type { Handlers } from '../api/router';
import type { LedgerService } from '../ledger/service';
import { FolderError, addFolder, listFolders, removeFolder, type FolderView } from './store';
import type { FolderWatcher } from './watcher';
import { actorOf } from '../auth';

export function foldersHandlers(
  service: LedgerService,
  watcher: FolderWatcher,
): Handlers<typeof foldersProcedures> {
  // The live state over the stored one: a scan running now, or a failure the database could not record.
  const live = (f: FolderView) => {
    const problem = watcher.unrecordedProblem(f.id);
    return {
      ...f,
      scanning: watcher.isScanning(f.id),
      ...(problem !== undefined ? { status: 'error' as const, message: problem } : {}),
    };
  };
  return {
    'folders.list': () =>
      service.use((ctx) => ({
        folders: listFolders(ctx.db).map(live),
        intervalMs: watcher.intervalMs,
      })),
    'folders.add': (input, call) =>
      service.use(async (ctx) => {
        const id = await folderCall(() => addFolder(ctx, input, actorOf(call).id));
        return live(listFolders(ctx.db).find((f) => f.id === id)!);
      }),
    'folders.remove': (input, call) =>
      service.use(async (ctx) => {
        const removed = await removeFolder(ctx, input.id, actorOf(call).id);
        if (!removed)
          throw new ApiError(
            'not-found',
            `No watched folder has id ${input.id}; it may have been removed already.`,
          );
        return { removed };
      }),
    'folders.scan': async (input, call) => {
      if (input?.id !== undefined) {
        const known = await service.use((ctx) => listFolders(ctx.db, 0).some((f) => f.id === input.id));
        if (!known) throw new ApiError('not-found', `No watched folder has id ${input.id}.`);
      }
      const { jobId, results } = await watcher.scan({
        ...(input?.id !== undefined ? { folderId: input.id } : {}),
        actor: actorOf(call).id,
        retryFailed: true,
      });
      return { jobId, results };
    },
  };
}

async function folderCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof FolderError) throw new ApiError(error.kind, error.message);
    throw error;
  }
}
