import path from 'node:path';
import { contract, type Contract } from './api';
import { EventHub } from './api/events';
import type { Router, SessionSlot } from './api/router';
import { approvalsHandlers, ApprovalService } from './approvals';
import { arcosHandlers } from './arcos';
import { AuditedRouter, authHandlers, AuthService, type ScryptCost } from './auth';
import { countsHandlers, CountService, lastCount } from './counts';
import { disposalsHandlers, DisposalService } from './disposals';
import { ApiError } from './api/errors';
import type { demoProcedures } from './api/procedures/demo';
import type { Handlers } from './api/router';
import { foldersHandlers, FolderWatcher, type FolderWatchOptions } from './folders';
import { ingestHandlers, rebuildTraceProjections, reprocessHandler } from './ingest';
import { inventoryHandlers, InventoryService } from './inventory';
import { keysHandlers } from './keys/handlers';
import { ordersHandlers } from './orders';
import { ledgerHandlers } from './ledger/handlers';
import { LedgerService } from './ledger/service';
import { partnersHandlers } from './partners';
import { Jobs } from './platform/jobs';
import type { Log } from './platform/log';
import { productsHandlers } from './products';
import { projections } from './projections';
import { quarantineHandlers } from './quarantine';
import { receivingHandlers } from './receiving';
import { generatedArcosFile, reportsHandlers } from './reports';
import { requestsHandlers } from './requests';
import type { SecretStore } from './secrets/secret-store';
import { setupHandlers } from './setup';
import { syncHandlers, SyncRunner, type SyncSettings } from './sync';
import { systemHandlers, type CoreServices } from './system';
import { traceHandlers } from './trace/handlers';
import { usersHandlers, UserService } from './users';

export interface CoreOptions {
  readonly version: string;
  readonly dataDir: string;
  readonly log: Log;
  /** The keychain; default the OS keychain. Tests of other areas pass a memory store. */
  readonly secrets?: SecretStore;
  /** Tests inject a clock (session inactivity, entry times) and a cheaper scrypt cost. */
  readonly now?: () => number;
  readonly scryptCost?: ScryptCost;
  /** Watched import folders: scan interval and settle times (tests shorten them), or no timer. */
  readonly folderWatch?: FolderWatchOptions;
  /** Partner sync: the waits (tests shorten them) and whether the background timer runs. */
  readonly partnerSync?: { readonly settings?: SyncSettings; readonly timer?: boolean };
  /** How a person runs the command line on this computer (default `custodia`). */
  readonly cliCommand?: string;
}

export interface Core {
  /** The one router (a workstation's passes each call to the core of the ledger it shows). */
  readonly router: Pick<Router<Contract>, 'call'>;
  readonly events: EventHub;
  readonly services: CoreServices;
  /** Sessions by the transport's key (host cookie id, window id): the slot the router reads the principal from. */
  readonly sessions: { slot(key: string): SessionSlot };
  close(): Promise<void>;
}

/**
 * Assembles the core behind every transport: one ledger service whose workspace is the one write
 * path, the features over it, and one router over all their handlers. This is the only module that
 * knows every feature; features meet here, never by importing each other's insides.
 */
export function createCore(options: CoreOptions): Core {
  const now = options.now ?? Date.now;
  const events = new EventHub();
  const services: CoreServices = {
    version: options.version,
    dataDir: path.resolve(options.dataDir),
    ...(options.cliCommand !== undefined ? { cliCommand: options.cliCommand } : {}),
    log: options.log,
    events,
    ledgerStatus: () => ledger.status(),
  };
  const ledger = new LedgerService({
    dataDir: services.dataDir,
    appVersion: options.version,
    log: options.log,
    emit: events.emit,
    projections,
    now,
    ...(options.secrets ? { secrets: options.secrets } : {}),
  });
  const auth = new AuthService({
    workspace: () => ledger.use((ws) => ws),
    now,
    ...(options.scryptCost ? { scryptCost: options.scryptCost } : {}),
    onBackgroundError: (error) =>
      options.log.warn('could not record a workstation lock in the ledger', {
        error: error instanceof Error ? error.name : 'unknown',
      }),
    onRefusalNotRecorded: (error) =>
      options.log.warn('could not record a refused call in the ledger', {
        error: error instanceof Error ? error.name : 'unknown',
      }),
  });
  const users = new UserService(auth);
  const inventory = new InventoryService(auth);
  const imports = new Jobs();
  const folders = new FolderWatcher({
    service: ledger,
    jobs: imports,
    emit: events.emit,
    log: options.log,
    now,
    ...(options.folderWatch ? { options: options.folderWatch } : {}),
  });
  const partnerSync = new SyncRunner({
    service: ledger,
    jobs: imports,
    emit: events.emit,
    log: options.log,
    ...(options.partnerSync?.settings ? { settings: options.partnerSync.settings } : {}),
    ...(options.partnerSync?.timer === false || options.folderWatch?.timer === false
      ? { tickMs: false as const }
      : {}),
  });
  const router: Router<Contract> = new AuditedRouter(
    contract,
    {
      ...systemHandlers(services),
      ...ledgerHandlers(ledger),
      ...keysHandlers(ledger),
      ...authHandlers(auth),
      ...setupHandlers(auth, users),
      ...usersHandlers(users),
      ...productsHandlers(auth),
      ...inventoryHandlers(auth, inventory, projections, lastCount, (fn) => ledger.read((s) => fn(s.db))),
      ...approvalsHandlers(auth, new ApprovalService(auth)),
      ...ordersHandlers(ledger, now),
      ...countsHandlers(new CountService(auth)),
      ...disposalsHandlers(new DisposalService(auth)),
      ...partnersHandlers(ledger),
      ...ingestHandlers(ledger, imports),
      ...foldersHandlers(ledger, folders),
      ...syncHandlers(ledger, auth, partnerSync),
      ...quarantineHandlers(ledger, auth, reprocessHandler(ledger, imports)),
      ...receivingHandlers(ledger, auth),
      ...requestsHandlers(ledger),
      ...traceHandlers(ledger, rebuildTraceProjections),
      ...reportsHandlers(ledger),
      ...arcosHandlers(ledger, auth, (sha256) => generatedArcosFile(ledger, sha256)),
      ...demoHandlers(),
    },
    options.log,
    (ctx, method, error) => auth.recordRefusal(ctx, method, error),
  );
  return {
    router,
    events,
    services,
    sessions: auth,
    close: async () => {
      await auth.settled();
      // The folder timer stops and a running scan ends before the ledger it writes to closes.
      await folders.close();
      await partnerSync.close();
      ledger.close();
    },
  };
}

/**
 * A core over one ledger shows no demo and switches nowhere: that is the workstation's job
 * (workstation.ts, behind the window and `custodia serve`). Here the demo procedures say so.
 */
function demoHandlers(): Handlers<typeof demoProcedures> {
  const none = () => ({
    available: false,
    active: false,
    loaded: false,
    title: null,
    dataDir: null,
    people: [],
  });
  const refuse = () => {
    throw new ApiError(
      'conflict',
      'Only the app or `custodia serve` switches to the demo; to load it into a folder, run `custodia demo load --data DIR`.',
    );
  };
  return { 'demo.status': none, 'demo.enter': refuse, 'demo.leave': refuse, 'demo.reset': refuse };
}
