import fs from 'node:fs';
import { finished } from 'node:stream/promises';
import type { EpcisDocument, EpcisEvent } from '../../core/epcis/model';
import { readValidated, whereIs, type ValidatedItem } from '../../core/epcis/pipeline';
import { writeJsonLd } from '../../core/epcis/write-jsonld';
import { UnwritableError, writeXml } from '../../core/epcis/write-xml';
import { UsageError, stringOption, type Command } from '../command';
import { explainReadError, limitOptions, limitsFrom, limitUsage, openInput } from './epcis-options';

/**
 * `custodia epcis convert FILE --to jsonld|xml [--out FILE]`: EPCIS 2.0 JSON-LD or XML from the
 * canonical model. Every event must be valid (--tolerant accepts schema deviations); reading the
 * output back gives the same event hashes.
 */
export const epcisConvertCommand: Command = {
  name: 'epcis convert',
  summary: 'Convert an EPCIS file (1.2/2.0 XML, 2.0 JSON-LD) to EPCIS 2.0 JSON-LD or XML',
  usage: `epcis convert FILE --to jsonld|xml [--out FILE] [--tolerant] ${limitUsage}`,
  options: {
    to: { type: 'string' },
    out: { type: 'string', short: 'o' },
    tolerant: { type: 'boolean' },
    ...limitOptions,
  },
  access: { kind: 'none' },
  positionals: [1, 1],
  async run(args, io) {
    const file = args.positionals[0]!;
    const to = stringOption(args, 'to');
    if (to !== 'jsonld' && to !== 'xml') throw new UsageError('--to must be jsonld or xml');
    const outPath = stringOption(args, 'out');
    const items = readValidated(openInput(file), {
      tolerant: args.values.tolerant === true,
      limits: limitsFrom(args),
    });

    // The document item arrives before the first event; events then stream straight to the writer.
    let document: EpcisDocument | undefined;
    const pending: EpcisEvent[] = [];
    let count = 0;
    async function* events(): AsyncGenerator<EpcisEvent> {
      yield* pending.splice(0);
      for (;;) {
        const next = await items.next();
        if (next.done === true) return;
        const item = next.value;
        if (item.type !== 'event') continue;
        yield checked(item);
      }
    }
    const checked = (item: Extract<ValidatedItem, { type: 'event' }>): EpcisEvent => {
      if (item.event === undefined) {
        const first = item.issues.find((i) => i.severity === 'error');
        throw new UsageError(
          `event ${item.index} at ${whereIs(first?.position ?? item.position, first?.field)} is invalid: ${first?.message ?? 'unknown problem'}; nothing was converted (check with: custodia epcis validate ${file}${args.values.tolerant === true ? '' : ', or retry with --tolerant'})`,
          1,
        );
      }
      count++;
      return item.event;
    };

    const sink = outPath !== undefined ? fs.createWriteStream(outPath) : undefined;
    let writeError: Error | undefined;
    sink?.on('error', (error) => {
      writeError ??= error;
    });
    try {
      for (;;) {
        const next = await items.next();
        if (next.done === true) break;
        if (next.value.type === 'document') {
          document = next.value.document;
          break;
        }
        pending.push(checked(next.value));
      }
      if (document === undefined) throw new UsageError(`${file} has no EPCIS document to convert`, 1);
      const writer = to === 'jsonld' ? writeJsonLd(document, events()) : writeXml(document, events());
      for await (const chunk of writer) {
        if (sink === undefined) process.stdout.write(chunk);
        else if (!sink.write(chunk))
          await new Promise<void>((resolve) => sink.once('drain', () => resolve()));
      }
    } catch (error) {
      sink?.destroy();
      if (outPath !== undefined) fs.rmSync(outPath, { force: true });
      if (error instanceof UsageError) throw error;
      if (error instanceof UnwritableError)
        throw new UsageError(`${file}: ${error.message}; nothing was converted`, 1);
      explainReadError(error, file);
    }
    if (sink !== undefined) {
      sink.end();
      await finished(sink).catch(() => undefined);
      if (writeError !== undefined) throw new UsageError(`cannot write ${outPath}: ${writeError.message}`, 1);
      io.err(`wrote ${count} event(s) as EPCIS 2.0 ${to === 'jsonld' ? 'JSON-LD' : 'XML'} to ${outPath}`);
    }
    return 0;
  },
};
