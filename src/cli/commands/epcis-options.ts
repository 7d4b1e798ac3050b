import fs from 'node:fs';
import { EpcisReadError } from '../../core/epcis/errors';
import type { ReadLimits } from '../../core/epcis/limits';
import { fileSource, type ByteSource } from '../../core/epcis/text-source';
import { UsageError, stringOption, type Options, type ParsedArgs } from '../command';

/** The --max-* flags every epcis command takes (see src/core/epcis/limits.ts). */
export const limitOptions: Options = {
  'max-bytes': { type: 'string' },
  'max-depth': { type: 'string' },
  'max-attributes': { type: 'string' },
  'max-text': { type: 'string' },
  'max-event': { type: 'string' },
};

export const limitUsage =
  '[--max-bytes N] [--max-depth N] [--max-attributes N] [--max-text N] [--max-event N]';

export function limitsFrom(args: ParsedArgs): Partial<ReadLimits> {
  const out: Partial<ReadLimits> = {};
  const map: [string, keyof ReadLimits][] = [
    ['max-bytes', 'maxBytes'],
    ['max-depth', 'maxDepth'],
    ['max-attributes', 'maxAttributes'],
    ['max-text', 'maxTextLength'],
    ['max-event', 'maxEventLength'],
  ];
  for (const [flag, key] of map) {
    const text = stringOption(args, flag);
    if (text === undefined) continue;
    const n = parseSize(text);
    if (n === undefined)
      throw new UsageError(`--${flag} must be a positive number (suffixes k, M, G allowed), not "${text}"`);
    out[key] = n;
  }
  return out;
}

function parseSize(text: string): number | undefined {
  const m = /^(\d+)([kKmMgG]?)$/.exec(text.trim());
  if (m === null) return undefined;
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  const n = Number(m[1]) * unit;
  return n > 0 ? n : undefined;
}

/** Opens the input file, or explains why it cannot be read. */
export function openInput(file: string): ByteSource {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new UsageError(`cannot read ${file}: no such file`, 1);
  }
  if (!stat.isFile()) throw new UsageError(`${file} is not a file`, 1);
  return fileSource(file);
}

/** A file that cannot be read any further becomes one clear line and exit status 1. */
export function explainReadError(error: unknown, file: string): never {
  if (error instanceof EpcisReadError) throw new UsageError(`${file}: ${error.message}`, 1);
  throw error;
}
