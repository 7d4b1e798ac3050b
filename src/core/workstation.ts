import fs from 'node:fs';
import path from 'node:path';
import { contract, type Contract } from './api';
import { ApiError } from './api/errors';
import { EventHub } from './api/events';
import type { OutputOf } from './api/contract';
import { Router, type CallContext, type SessionSlot } from './api/router';
import { createCore, type Core, type CoreOptions } from './app';
import { createDemoLedger, demoAvailable, readDemoResources, removeDemoFolder } from './demo';
import { INSTALLATION_FILE } from './installation/installation-file';
import { toApiError } from './ledger/service';
import { projections } from './projections';

type DemoStatus = OutputOf<Contract['demo.status']>;

export interface WorkstationOptions extends CoreOptions {
  /** The demo month (resources/demo); without it, no demo is offered. */
  readonly demoResources?: string;
}

export interface Workstation extends Core {
  /** Shows the demo ledger (loading it on first use), as "Explore with demo data" does. */
  enterDemo(options?: { reset?: boolean }): Promise<DemoStatus>;
  /** Which ledger the workstation shows now. */
  readonly showing: 'own' | 'demo';
}

/** The demo ledger's folder: a folder of its own inside the data folder, never the pharmacy's ledger. */
export function demoDataDir(dataDir: string): string {
  return path.join(path.resolve(dataDir), 'demo');
}

/**
 * The core behind a window or `custodia serve`, able to switch between this pharmacy's own ledger
 * (in the data folder) and the demo ledger (in `<data>/demo`), and back. Each ledger gets a core of
 * its own, so the two are never mixed: switching closes one and opens the other. Transports hold
 * this object; its router, events and sessions always reach the core shown now.
 */
export function createWorkstation(options: WorkstationOptions): Workstation {
  const ownDir = path.resolve(options.dataDir);
  const demoDir = demoDataDir(ownDir);
  const events = new EventHub();
  // The transports' session slots, by key: each call reaches the same key in the core shown now.
  const slotKeys = new WeakMap<SessionSlot, string>();
  let current: Core = createCore(options);
  let showing: 'own' | 'demo' = 'own';
  let unsubscribe = current.events.subscribe(events.emit);
  // Calls wait while the workstation switches ledgers; switches run one at a time.
  let switching: Promise<unknown> = Promise.resolve();

  const use = (next: Core, mode: 'own' | 'demo') => {
    current = next;
    showing = mode;
    unsubscribe = current.events.subscribe(events.emit);
  };
  const closeCurrent = async () => {
    unsubscribe();
    await current.close();
  };
  const resources = () => {
    if (!demoAvailable(options.demoResources))
      throw new ApiError('not-found', 'This installation has no demo data (resources/demo is missing).');
    return readDemoResources(options.demoResources!);
  };
  const loaded = () => fs.existsSync(path.join(demoDir, INSTALLATION_FILE));
  const status = (): DemoStatus => {
    const available = demoAvailable(options.demoResources);
    const demo = available ? readDemoResources(options.demoResources!) : null;
    return {
      available,
      active: showing === 'demo',
      loaded: loaded(),
      title: demo?.title ?? null,
      dataDir: available ? demoDir : null,
      people: (demo?.people ?? []).map((p) => ({ ...p, roles: [...p.roles] })),
    };
  };
  const anonymous = (method: keyof Contract & string) =>
    current.router.call({ transport: 'http', principal: null, emit: () => {} }, method, {});

  /** Opens the demo ledger's core, loading the month first when there is none (or on reset). */
  const openDemo = async (reset: boolean) => {
    const demo = resources();
    if (reset) await removeDemoFolder(demoDir, options.secrets);
    if (!loaded()) {
      await createDemoLedger(demoDir, demo, {
        projections,
        appVersion: options.version,
        ...(options.secrets ? { secrets: options.secrets } : {}),
      });
    }
    const core = createCore({ ...options, dataDir: demoDir });
    const said = await core.router.call(
      { transport: 'http', principal: null, emit: () => {} },
      'setup.status',
      {},
    );
    if (!said.ok || !(said.value as { demo: boolean }).demo) {
      await core.close();
      throw new ApiError(
        'conflict',
        `${demoDir} holds a ledger that is not the demo; Custodia will not show or replace it. Move it elsewhere.`,
        { rule: 'demo-own-folder' },
      );
    }
    return core;
  };

  const serially = <T>(run: () => Promise<T>): Promise<T> => {
    const next = switching.then(run, run);
    switching = next.catch(() => undefined);
    return next;
  };

  const enterDemo = (opts: { reset?: boolean } = {}) =>
    serially(async () => {
      if (showing === 'demo' && opts.reset !== true) return status();
      await closeCurrent();
      try {
        use(await openDemo(opts.reset === true), 'demo');
      } catch (error) {
        // Whatever failed, the workstation keeps showing a ledger: this pharmacy's own (the
        // first-run screen offers the demo again).
        use(createCore(options), 'own');
        throw toApiError(error);
      }
      return status();
    });

  const demoRouter = new Router(
    contract,
    {
      'demo.status': () => status(),
      'demo.enter': async () => {
        if (showing === 'own') {
          const own = await anonymous('setup.status');
          if (own.ok && (own.value as { complete: boolean }).complete) {
            throw new ApiError(
              'conflict',
              'This workstation is set up for a pharmacy: the demo is offered on the first-run screen only. ' +
                'To look at it anyway, start Custodia with --demo (bash scripts/start.sh --demo).',
              { rule: 'demo-first-run' },
            );
          }
        }
        return enterDemo();
      },
      'demo.leave': () =>
        serially(async () => {
          if (showing === 'own') return status();
          await closeCurrent();
          use(createCore(options), 'own');
          return status();
        }),
      'demo.reset': async () => {
        if (showing !== 'demo')
          throw new ApiError(
            'conflict',
            'The workstation is not showing the demo; there is nothing to reset.',
          );
        return enterDemo({ reset: true });
      },
    } as never,
    options.log,
  );

  return {
    router: {
      call: async (ctx: CallContext, method: string, input: unknown) => {
        if (method.startsWith('demo.')) return demoRouter.call(ctx, method, input);
        await switching;
        // The session slot of the core shown now: auth finds a session by its own slot object.
        const key = ctx.session !== undefined ? slotKeys.get(ctx.session) : undefined;
        const session = key !== undefined ? current.sessions.slot(key) : ctx.session;
        return current.router.call({ ...ctx, ...(session ? { session } : {}) }, method, input);
      },
    },
    events,
    get services() {
      return current.services;
    },
    sessions: {
      slot: (key: string): SessionSlot => {
        const slot: SessionSlot = {
          get: () => current.sessions.slot(key).get(),
          peek: () => current.sessions.slot(key).peek(),
          set: (principal) => current.sessions.slot(key).set(principal),
        };
        slotKeys.set(slot, key);
        return slot;
      },
    },
    get showing() {
      return showing;
    },
    enterDemo,
    close: async () => {
      await switching;
      await closeCurrent();
    },
  };
}
