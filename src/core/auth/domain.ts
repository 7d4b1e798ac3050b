import type { Principal } from '../api/principal';
import type { CallContext, Handlers, SessionSlot } from '../api/router';
import type { authProcedures } from '../api/procedures/auth';
import type { approvalsProcedures } from '../api/procedures/approvals';
import type { countsProcedures } from '../api/procedures/counts';
import type { inventoryProcedures } from '../api/procedures/inventory';
import type { productsProcedures } from '../api/procedures/products';
import type { setupProcedures } from '../api/procedures/setup';
import type { usersProcedures } from '../api/procedures/users';
import { approvalsHandlers } from '../approvals/handlers';
import { ApprovalService } from '../approvals/service';
import { countsHandlers } from '../counts/handlers';
import { CountService } from '../counts/service';
import { inventoryHandlers } from '../inventory/handlers';
import { projectAll } from '../inventory/rebuild';
import { InventoryService } from '../inventory/service';
import type { Ledger } from '../ledger/ledger';
import type { Log } from '../platform/log';
import { usersHandlers } from '../people/handlers';
import { PeopleService } from '../people/service';
import { productsHandlers } from '../products/handlers';
import { setupHandlers } from '../registrant/handlers';
import { authHandlers } from './handlers';
import type { ScryptCost } from './password';
import { AuthService } from './service';
import { createWorkspace, type Workspace } from './workspace';

export interface PeopleDomainOptions {
  /** Runs fn on the open ledger, opening it on first use (LedgerService.use). */
  readonly useLedger: <T>(fn: (ledger: Ledger) => T | Promise<T>) => Promise<T>;
  readonly log: Log;
  readonly now?: () => number;
  readonly scryptCost?: ScryptCost;
}

type DomainProcedures = typeof authProcedures &
  typeof setupProcedures &
  typeof usersProcedures &
  typeof productsProcedures &
  typeof inventoryProcedures &
  typeof approvalsProcedures &
  typeof countsProcedures;

export interface PeopleDomain {
  readonly auth: AuthService;
  readonly handlers: Handlers<DomainProcedures>;
  /** A transport's session slot for its session key (host cookie id, window id, CLI run). */
  slot(key: string): SessionSlot;
  /** Records a permission refusal the router decided (AuditedRouter). */
  recordRefusal(ctx: CallContext, method: string, error: { code: string; message: string }): Promise<void>;
}

/**
 * People, signatures and controlled substances, assembled over the ledger: one workspace per open
 * ledger (all writes go through it), the auth service with its session manager, and the handlers.
 */
export function createPeopleDomain(options: PeopleDomainOptions): PeopleDomain {
  const now = options.now ?? Date.now;
  let cached: { ledger: Ledger; ws: Workspace } | null = null;
  const workspace = () =>
    options.useLedger((ledger) => {
      if (cached === null || cached.ledger !== ledger)
        cached = { ledger, ws: createWorkspace(ledger, projectAll, now) };
      return cached.ws;
    });
  const auth = new AuthService({
    workspace,
    now,
    ...(options.scryptCost ? { scryptCost: options.scryptCost } : {}),
    onBackgroundError: (error) =>
      options.log.warn('could not record a workstation lock in the ledger', {
        error: error instanceof Error ? error.name : 'unknown',
      }),
  });
  const people = new PeopleService(auth);
  const inventory = new InventoryService(auth);
  const approvals = new ApprovalService(auth);
  const counts = new CountService(auth);
  return {
    auth,
    handlers: {
      ...authHandlers(auth),
      ...setupHandlers(auth, people),
      ...usersHandlers(people),
      ...productsHandlers(auth),
      ...inventoryHandlers(auth, inventory),
      ...approvalsHandlers(auth, approvals),
      ...countsHandlers(counts),
    },
    slot: (key) => auth.slot(key),
    async recordRefusal(ctx, method, error) {
      const principal = ctx.principal as Principal;
      await workspace()
        .then((ws) =>
          ws.write((tx) =>
            tx.record('access.refused', principal.userId, {
              procedure: method,
              code: error.code,
              rule: 'permission',
              message: error.message,
              roles: principal.roles,
              transport: ctx.transport,
            }),
          ),
        )
        .then(() => undefined)
        .catch((e: unknown) =>
          options.log.warn('could not record a refused call in the ledger', {
            error: e instanceof Error ? e.name : 'unknown',
          }),
        );
    },
  };
}
