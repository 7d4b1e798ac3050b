import path from 'node:path';
import { contract, type Contract } from './api';
import { EventHub } from './api/events';
import { Router } from './api/router';
import { ledgerHandlers } from './ledger/handlers';
import { LedgerService } from './ledger/service';
import type { Log } from './platform/log';
import type { SecretStore } from './secrets/secret-store';
import type { CoreServices } from './services';
import { systemHandlers } from './system/handlers';

export interface CoreOptions {
  readonly version: string;
  readonly dataDir: string;
  readonly log: Log;
  /** The keychain; default the OS keychain. Tests of other areas pass a memory store. */
  readonly secrets?: SecretStore;
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
    ledgerStatus: () => ledger.status(),
  };
  const ledger = new LedgerService({
    dataDir: services.dataDir,
    appVersion: options.version,
    log: options.log,
    emit: events.emit,
    ...(options.secrets ? { secrets: options.secrets } : {}),
  });
  const router = new Router(contract, { ...systemHandlers(services), ...ledgerHandlers(ledger) }, options.log);
  return {
    router,
    events,
    services,
    close: async () => ledger.close(),
  };
}
