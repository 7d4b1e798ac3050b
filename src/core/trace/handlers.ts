import type { traceProcedures } from '../api/procedures/trace';
import type { Handlers } from '../api/router';
import { withTrace } from '../ingest/handlers-common';
import type { LedgerService } from '../ledger/service';
import { trace, traceCsv } from './query';
import { rebuildTraceProjections } from './rebuild';

export function traceHandlers(service: LedgerService): Handlers<typeof traceProcedures> {
  return {
    'trace.lookup': (input) => withTrace(service, (ctx) => trace(ctx, input.query)),
    'trace.export': (input) =>
      withTrace(service, (ctx) => {
        const result = trace(ctx, input.query);
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
