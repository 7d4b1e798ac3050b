import { openLedger, type OpenLedger } from '../../core/ledger/open';
import type { ParsedArgs } from '../command';
import { packageVersion } from '../version';
import { dataDirOf } from './keys-common';

/** The ledger in --data DIR, created there on first use (keys, genesis entry, first checkpoint). */
export function openCliLedger(args: ParsedArgs): Promise<OpenLedger> {
  return openLedger({ dataDir: dataDirOf(args), createIfMissing: true, appVersion: packageVersion() });
}

/** Exit status of a verdict: 0 only for consistent. */
export function verdictExit(status: 'consistent' | 'inconsistent' | 'unknown'): number {
  return status === 'consistent' ? 0 : status === 'inconsistent' ? 1 : 3;
}
