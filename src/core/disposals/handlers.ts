import type { disposalsProcedures } from '../api/procedures/disposals';
import type { Handlers } from '../api/router';
import { me } from '../auth';
import type { DisposalService } from './service';

export function disposalsHandlers(disposals: DisposalService): Handlers<typeof disposalsProcedures> {
  return {
    'disposals.reportIncident': (input, ctx) => disposals.reportIncident(me(ctx), input),
    'disposals.recordNotice': (input, ctx) => disposals.recordNotice(me(ctx), input),
    'disposals.recordFiling': (input, ctx) => disposals.recordFiling(me(ctx), input),
    'disposals.incidents': async () => ({ incidents: await disposals.incidents() }),
    'disposals.recordDestruction': (input, ctx) => disposals.recordDestruction(me(ctx), input),
    'disposals.destructions': async () => ({ destructions: await disposals.destructions() }),
  };
}
