import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { Installation } from '../installation/installation';
import type { Ledger } from '../ledger/ledger';
import { createFieldSealer, type FieldSealer } from '../sealing/field-sealer';

/** What ingest, quarantine, receiving and trace need from an open installation. */
export interface TraceContext {
  readonly db: Database;
  readonly dataDir: string;
  readonly ledger: Ledger;
  readonly sealer: FieldSealer;
  readonly now: () => number;
}

const sealers = new WeakMap<object, FieldSealer>();

/**
 * The context for a ledger opened over an installation (ledger/open.ts passes the Installation as
 * the ledger's host, which is where the sealing keys and the data folder are).
 */
export function traceContext(ledger: Ledger, now: () => number = Date.now): TraceContext {
  const host = ledger.host as Partial<Installation>;
  if (host.keys === undefined || host.dataDir === undefined) {
    throw new Error('the ledger was not opened over an installation: its sealing keys are not reachable');
  }
  let sealer = sealers.get(host.keys);
  if (sealer === undefined) {
    sealer = createFieldSealer(host.keys);
    sealers.set(host.keys, sealer);
  }
  return { db: ledger.db, dataDir: host.dataDir, ledger, sealer, now };
}
