import fs from 'node:fs';
import path from 'node:path';
import { contract, type Contract } from './api';
import { EventHub } from './api/events';
import { Router } from './api/router';
import type { Log } from './platform/log';
import type { CoreServices } from './services';
import { systemHandlers } from './system/handlers';

export interface CoreOptions {
  readonly version: string;
  readonly dataDir: string;
  readonly log: Log;
}

export interface Core {
  readonly router: Router<Contract>;
  readonly events: EventHub;
  readonly services: CoreServices;
  close(): Promise<void>;
}

/** Assembles the core behind every transport: one router over one set of services. */
export function createCore(options: CoreOptions): Core {
  const events = new EventHub();
  const services: CoreServices = {
    version: options.version,
    dataDir: path.resolve(options.dataDir),
    log: options.log,
    events,
    ledgerStatus: () =>
      fs.existsSync(path.join(options.dataDir, 'ledger.db'))
        ? { state: 'closed', message: 'The ledger exists and opens on first use.' }
        : { state: 'not-created', message: 'No ledger yet: it is created on first use.' },
  };
  const router = new Router(contract, { ...systemHandlers(services) }, options.log);
  return {
    router,
    events,
    services,
    close: async () => {},
  };
}
