import path from 'node:path';
import { contract, type Contract } from './api';
import { EventHub } from './api/events';
import type { Router, SessionSlot } from './api/router';
import { AuditedRouter } from './auth/audited-router';
import { createPeopleDomain } from './auth/domain';
import type { ScryptCost } from './auth/password';
import { foldersHandlers } from './ingest/folders-handlers';
import { FolderWatcher, type FolderWatchOptions } from './ingest/folders-watcher';
import { ingestHandlers } from './ingest/handlers';
import { Jobs } from './ingest/handlers-common';
import { keysHandlers } from './keys/handlers';
import { ledgerHandlers } from './ledger/handlers';
import { LedgerService } from './ledger/service';
import type { Log } from './platform/log';
import { quarantineHandlers } from './quarantine/handlers';
import { receivingHandlers } from './receiving/handlers';
import type { SecretStore } from './secrets/secret-store';
import type { CoreServices } from './services';
import { systemHandlers } from './system/handlers';
import { traceHandlers } from './trace/handlers';

export interface CoreOptions {
  readonly version: string;
  readonly dataDir: string;
  readonly log: Log;
  /** The keychain; default the OS keychain. Tests of other areas pass a memory store. */
  readonly secrets?: SecretStore;
  /** Tests inject a clock (session inactivity) and a cheaper scrypt cost. */
  readonly now?: () => number;
  readonly scryptCost?: ScryptCost;
  /** Watched import folders: scan interval and settle times (tests shorten them), or no timer. */
  readonly folderWatch?: FolderWatchOptions;
}

export interface Core {
  readonly router: Router<Contract>;
  readonly events: EventHub;
  readonly services: CoreServices;
  /** Sessions by the transport's key (host cookie id, window id): the slot the router reads the principal from. */
  readonly sessions: { slot(key: string): SessionSlot };
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
  const people = createPeopleDomain({
    useLedger: (fn) => ledger.use(fn),
    log: options.log,
    ...(options.now ? { now: options.now } : {}),
    ...(options.scryptCost ? { scryptCost: options.scryptCost } : {}),
  });
  const imports = new Jobs();
  const folders = new FolderWatcher({
    service: ledger,
    jobs: imports,
    emit: events.emit,
    log: options.log,
    now: options.now ?? Date.now,
    ...(options.folderWatch ? { options: options.folderWatch } : {}),
  });
  const router: Router<Contract> = new AuditedRouter(
    contract,
    {
      ...systemHandlers(services),
      ...ledgerHandlers(ledger),
      ...keysHandlers(ledger),
      ...people.handlers,
      ...ingestHandlers(ledger, imports),
      ...foldersHandlers(ledger, folders),
      ...quarantineHandlers(ledger, imports, people.auth),
      ...receivingHandlers(ledger, people.auth),
      ...traceHandlers(ledger),
    },
    options.log,
    people.recordRefusal,
  );
  return {
    router,
    events,
    services,
    sessions: people,
    close: async () => {
      await people.auth.settled();
      // The folder timer stops and a running scan ends before the ledger it writes to closes.
      await folders.close();
      ledger.close();
    },
  };
}
