import type { countsProcedures } from '../api/procedures/counts';
import type { Handlers } from '../api/router';
import { me } from '../auth';
import type { CountService } from './service';

export function countsHandlers(counts: CountService): Handlers<typeof countsProcedures> {
  return {
    'counts.record': (input, ctx) => counts.record(me(ctx), input),
    'counts.list': async (input) => ({ counts: await counts.list(input?.ndc) }),
    'counts.discrepancies': async (input) => ({ discrepancies: await counts.discrepancies(input?.status) }),
    'counts.explain': (input, ctx) => counts.explain(me(ctx), input),
    'counts.signOff': (input, ctx) => counts.signOff(me(ctx), input),
    'counts.escalate': (input, ctx) => counts.escalate(me(ctx), input),
    'counts.form106Drafts': async () => ({ drafts: await counts.drafts() }),
    'counts.sealInventory': (input, ctx) => counts.seal(me(ctx), input),
    'counts.inventories': async () => ({ inventories: await counts.inventories() }),
    'counts.nextDue': () => counts.nextDue(),
  };
}
