import { parseAnyIdentifier } from '../../core/identifiers';
import { UsageError, stringOption, type Command } from '../command';

/**
 * `custodia gs1 parse STRING`: reads a barcode scan (with GS separators), element string, Digital Link,
 * EPC URN, GTIN, SSCC, NDC, DEA number or NPI and prints the product identifier as JSON.
 */
export const gs1ParseCommand: Command = {
  name: 'gs1 parse',
  summary:
    'Read a GS1 barcode scan, element string, Digital Link, EPC URN, NDC, DEA number or NPI; print JSON',
  usage:
    "gs1 parse STRING [--gcp-length N]   (quote it; a scan may hold GS characters, e.g. $']d201…\\x1d21…')",
  options: { 'gcp-length': { type: 'string' } },
  access: { kind: 'none' },
  positionals: [1, 1],
  async run(args, io) {
    const [text] = args.positionals as [string];
    const gcpText = stringOption(args, 'gcp-length');
    const gcpLength = gcpText === undefined ? undefined : Number(gcpText);
    if (gcpLength !== undefined && !(Number.isInteger(gcpLength) && gcpLength >= 6 && gcpLength <= 12)) {
      throw new UsageError('--gcp-length must be a whole number from 6 to 12');
    }
    const result = parseAnyIdentifier(text, gcpLength === undefined ? {} : { gcpLength });
    if (!result.ok) {
      const { rule, message, position } = result.error;
      const where = position === undefined ? '' : ` at character ${position + 1}`;
      io.err(`custodia gs1 parse: ${message} [${rule}${where}]`);
      return 1;
    }
    io.out(JSON.stringify(result.value, null, 2));
    return 0;
  },
};
