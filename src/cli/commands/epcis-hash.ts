import { eventHash } from '../../core/epcis/hash';
import type { EpcisEvent } from '../../core/epcis/model';
import { readValidated } from '../../core/epcis/pipeline';
import type { Command } from '../command';
import { explainReadError, limitOptions, limitsFrom, limitUsage, openInput } from './epcis-options';

/**
 * `custodia epcis hash FILE [--reference-order] [--json]`: the CBV 2.0 event hash of every event in
 * document order. Default: the published CBV 2.0 property order. --reference-order: the order of the
 * reference implementation that produced GS1's official test vectors (see src/core/epcis/hash.ts).
 */
export const epcisHashCommand: Command = {
  name: 'epcis hash',
  summary: 'Print the CBV 2.0 event hash (ni:///sha-256;…?ver=CBV2.0) of every event in an EPCIS file',
  usage: `epcis hash FILE [--reference-order] [--json] ${limitUsage}`,
  options: { 'reference-order': { type: 'boolean' }, json: { type: 'boolean' }, ...limitOptions },
  access: { kind: 'none' },
  positionals: [1, 1],
  async run(args, io) {
    const file = args.positionals[0]!;
    const order = args.values['reference-order'] === true ? 'reference' : 'published';
    const json = args.values.json === true;
    const source = openInput(file);
    const out: { index: number; eventHashId: string; preHash: string }[] = [];
    let ignoreFields: string[] | undefined;
    let unreadable = 0;
    try {
      // tolerant: a hash is wanted for whatever a partner sent; validity is `epcis validate`'s job
      for await (const item of readValidated(source, { tolerant: true, limits: limitsFrom(args) })) {
        if (item.type === 'document') {
          ignoreFields = item.document.hashIgnoreFields;
          continue;
        }
        const errors = item.issues.filter((i) => i.severity === 'error');
        if (errors.length > 0) {
          unreadable++;
          io.err(
            `warning: event ${item.index} has ${errors.length} error(s) (first: ${errors[0]!.message}); its hash covers what could be read`,
          );
        }
        const h = eventHash(item.candidate as EpcisEvent, {
          order,
          ...(ignoreFields !== undefined ? { ignoreFields } : {}),
        });
        if (json) out.push({ index: item.index, eventHashId: h.eventHashId, preHash: h.preHash });
        else io.out(h.eventHashId);
      }
    } catch (error) {
      explainReadError(error, file);
    }
    if (json) io.out(JSON.stringify(out, null, 2));
    if (unreadable > 0) io.err(`${unreadable} event(s) had errors; run: custodia epcis validate ${file}`);
    return 0;
  },
};
