import type { EventHub } from '../api/events';
import type { Log } from '../platform/log';
import type { LedgerState } from '../ledger/service';

/** What procedure handlers share: the installation's place, its log and its long-lived parts. */
export interface CoreServices {
  readonly version: string;
  readonly dataDir: string;
  readonly log: Log;
  readonly events: EventHub;
  ledgerStatus(): { state: LedgerState; message: string };
}
