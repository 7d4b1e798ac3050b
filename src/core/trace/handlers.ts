import type { traceProcedures } from '../api/procedures/trace';
import type { CallContext, Handlers } from '../api/router';
import type { TraceContext } from '../ingest/context';
import { withTrace } from '../ingest/handlers-common';
import type { LedgerService } from '../ledger/service';
import { disclosing } from '../sealing/access-log';
import { TraceIds } from './ids';
import { trace, traceCsv, type TraceResult } from './query';
import { rebuildTraceProjections } from './rebuild';

/**
 * A trace for a person: one access entry per call naming the record traced (its identifier's row
 * id, never the serial) and how many sealed identifiers the answer opened.
 */
function tracedFor(ctx: TraceContext, call: CallContext, procedure: string, query: string) {
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

export function traceHandlers(service: LedgerService): Handlers<typeof traceProcedures> {
  return {
    'trace.lookup': (input, call) =>
      withTrace(service, (ctx) => tracedFor(ctx, call, 'trace.lookup', input.query)),
    'trace.export': (input, call) =>
      withTrace(service, async (ctx) => {
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
    'trace.rebuild': () => withTrace(service, (ctx) => rebuildTraceProjections(ctx)),
  };
}
