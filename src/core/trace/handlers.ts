import type { traceProcedures } from '../api/procedures/trace';
import type { CallContext, Handlers } from '../api/router';
import type { Workspace } from '../ledger/workspace';
import type { LedgerService } from '../ledger/service';
import { disclosing } from '../ledger/access-log';
import { TraceIds } from './ids';
import { trace, traceCsv, type TraceResult } from './query';

/**
 * A trace for a person: one access entry per call naming the record traced (its identifier's row
 * id, never the serial) and how many sealed identifiers the answer opened.
 */
function tracedFor(ctx: Workspace, call: CallContext, procedure: string, query: string) {
  return disclosing(
    ctx,
    call,
    procedure,
    (c) => trace(c, query),
    (result: TraceResult, opened) => {
      if (opened.count === 0) return null;
      const root = result.found ? new TraceIds(ctx.db, ctx.sealer).find(result.identifier) : undefined;
      return { records: { trace_ids: root !== undefined ? [root] : [] }, identifiers: opened.count };
    },
  );
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
    'trace.lookup': (input, call) => service.use((ctx) => tracedFor(ctx, call, 'trace.lookup', input.query)),
    'trace.export': (input, call) =>
      service.use(async (ctx) => {
        const result = await tracedFor(ctx, call, 'trace.export', input.query);
        const stem = `trace-${result.kind}-${new Date(ctx.now()).toISOString().slice(0, 10)}`;
        return input.format === 'csv'
          ? { filename: `${stem}.csv`, mediaType: 'text/csv', content: traceCsv(result) }
          : {
              filename: `${stem}.json`,
              mediaType: 'application/json',
              content: JSON.stringify(result, null, 2),
            };
      }),
    'trace.rebuild': () => service.use(rebuild),
  };
}
