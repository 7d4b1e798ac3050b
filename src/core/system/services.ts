import type { EventHub } from '../api/events';
import type { Log } from '../platform/log';
import type { LedgerState } from '../ledger/service';

/** What procedure handlers share: the installation's place, its log and its long-lived parts. */
export interface CoreServices {
  readonly version: string;
  readonly dataDir: string;
  /** How a person runs the command line here (hints in the UI name it). */
  readonly cliCommand?: string;
  readonly log: Log;
  readonly events: EventHub;
  ledgerStatus(): { state: LedgerState; message: string };
}
