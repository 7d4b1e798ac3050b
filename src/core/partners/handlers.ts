import { ApiError } from '../api/errors';
import type { partnersProcedures } from '../api/procedures/partners';
import type { Handlers } from '../api/router';
import { actorOf } from '../auth';
import { T3_FIELDS } from '../formats/csv/mapping';
import { KDES, LOCATION_PARTS, PRODUCT_PARTS } from '../formats/fsma/kdes';
import type { LedgerService } from '../ledger/service';
import { getMapping, listPartners, saveMapping, savePartner } from './store';

export function partnersHandlers(service: LedgerService): Handlers<typeof partnersProcedures> {
  return {
    'partners.list': () => service.use((ctx) => ({ partners: listPartners(ctx) })),
    'partners.save': (input, call) =>
      service.use(async (ctx) => ({ id: await savePartner(ctx, input, actorOf(call).id) })),
    'partners.saveMapping': (input, call) =>
      service.use(async (ctx) => ({
        id: await saveMapping(ctx, input.partnerId, input.name, input.mapping, actorOf(call).id),
      })),
    'partners.mapping': (input) =>
      service.use((ctx) => {
        const mapping = getMapping(ctx, input.id);
        if (mapping === undefined) throw new ApiError('not-found', `There is no saved mapping ${input.id}.`);
        return { mapping };
      }),
    'partners.mappingFields': () => ({
      t3: [...T3_FIELDS],
      fsma: Object.fromEntries(
        Object.entries(KDES).map(([cte, specs]) => [
          cte,
          specs.map((s) => ({
            key: s.key,
            label: s.label,
            cite: `21 CFR ${s.cite}`,
            parts:
              s.kind === 'location'
                ? LOCATION_PARTS.map((p) => `${s.key}.${p}`)
                : s.kind === 'product'
                  ? PRODUCT_PARTS.map((p) => `${s.key}.${p}`)
                  : s.kind === 'quantity'
                    ? [s.key, `${s.key}Unit`]
                    : s.kind === 'refdoc'
                      ? ['refDocType', 'refDocNumber']
                      : [s.key],
          })),
        ]),
      ),
    }),
  };
}
