import type { traceProcedures } from '../api/procedures/trace';
import type { CallContext, Handlers } from '../api/router';
import type { Workspace } from '../ledger/workspace';
import type { LedgerService } from '../ledger/service';
import { TraceIds } from './ids';
import { trace, traceCsv, type TraceResult } from './query';

/**
 * A trace for a person, on a snapshot of the last commit (it never waits for an import): one access
 * entry per call naming the record traced (its identifier's row id, never the serial) and how many
 * sealed identifiers the answer opened, appended at once or, during an import, held durably and
 * appended when it ends (LedgerService.recordAccess).
 */
async function tracedFor(
  service: LedgerService,
  call: CallContext,
  procedure: string,
  query: string,
): Promise<TraceResult> {
  const { result } = await service.readDisclosing(
    call,
    procedure,
    (snapshot) => {
      const result = trace(snapshot, query);
      const root = result.found
        ? new TraceIds(snapshot.db, snapshot.sealer).find(result.identifier)
        : undefined;
      return { result, root };
    },
    ({ root }, opened) =>
      opened.count === 0
        ? null
        : { records: { trace_ids: root !== undefined ? [root] : [] }, identifiers: opened.count },
  );
  return result;
}

/**
 * The trace procedures. Rebuilding replays the import (ingest's rebuildTraceProjections), a feature
 * above this tier, so the app passes it in.
 */
export function traceHandlers(
  service: LedgerService,
  rebuild: (ws: Workspace) => Promise<{ entries: number; differences: string[] }>,
): Handlers<typeof traceProcedures> {
  return {
    'trace.lookup': (input, call) => tracedFor(service, call, 'trace.lookup', input.query),
    'trace.export': async (input, call) => {
      const result = await tracedFor(service, call, 'trace.export', input.query);
      const stem = `trace-${result.kind}-${new Date(service.now()).toISOString().slice(0, 10)}`;
      return input.format === 'csv'
        ? { filename: `${stem}.csv`, mediaType: 'text/csv', content: traceCsv(result) }
        : {
            filename: `${stem}.json`,
            mediaType: 'application/json',
            content: JSON.stringify(result, null, 2),
          };
    },
    'trace.rebuild': () => service.use(rebuild),
  };
}
