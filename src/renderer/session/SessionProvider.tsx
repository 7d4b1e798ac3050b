import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Contract, OutputOf } from '../../core/api';
import { ClientError, asClientError, type ApiClient } from '../api/client';
import { ClientProvider, useClient } from '../api/context';
import type { Principal } from './roles';

type Settings = OutputOf<Contract['setup.settings']>;
type Registrant = OutputOf<Contract['setup.status']>['registrant'];

export type Gate =
  | { readonly phase: 'loading' }
  | { readonly phase: 'unreachable'; readonly error: ClientError }
  | { readonly phase: 'setup' }
  | { readonly phase: 'signed-out' }
  | { readonly phase: 'locked'; readonly principal: Principal; readonly lockedAt: string }
  | { readonly phase: 'active'; readonly principal: Principal };

export interface Session {
  readonly gate: Gate;
  readonly registrant: Registrant;
  /** The ledger shown says it is the demo: every screen shows DEMO. */
  readonly demo: boolean;
  /** The signed-in person while the workstation is open, else null. */
  readonly principal: Principal | null;
  readonly settings: Settings | undefined;
  refresh(): Promise<void>;
  lock(): Promise<void>;
  signOut(): Promise<void>;
  /** Once setup is recorded, the setup flow keeps the screen until the recovery kit is dealt with. */
  holdSetup(): void;
  finishSetup(): void;
  reloadSettings(): void;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === null) throw new Error('useSession outside SessionProvider');
  return session;
}

/** Procedures whose 'unauthenticated' answer is about the password typed, not a lost session. */
const CREDENTIAL_METHODS = new Set(['auth.signIn', 'auth.unlock', 'auth.lock', 'auth.signOut']);

/**
 * Where this window stands: setup needed, nobody signed in, locked, or open for a person. The
 * core owns the truth (it locks idle sessions itself); any call refused as unauthenticated makes
 * the screen ask the core again, so a session the core locked shows the lock screen at once.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const [gate, setGate] = useState<Gate>({ phase: 'loading' });
  const [registrant, setRegistrant] = useState<Registrant>(null);
  const [demo, setDemo] = useState(false);
  const [holding, setHolding] = useState(false);
  const [settings, setSettings] = useState<Settings>();
  const [settingsGeneration, setSettingsGeneration] = useState(0);

  const refresh = useCallback(async () => {
    try {
      const setup = await client.call('setup.status', {});
      setRegistrant(setup.registrant);
      setDemo(setup.demo);
      if (!setup.complete) {
        setGate({ phase: 'setup' });
        return;
      }
      const state = await client.call('auth.session', {});
      if (state.state === 'active') setGate({ phase: 'active', principal: state.principal });
      else if (state.state === 'locked')
        setGate({ phase: 'locked', principal: state.principal, lockedAt: state.lockedAt });
      else setGate({ phase: 'signed-out' });
    } catch (error) {
      setGate({
        phase: 'unreachable',
        error: asClientError(error),
      });
    }
  }, [client]);

  useEffect(() => {
    void refresh();
    // Moving between areas asks again, so a session the core locked (or one changed from another
    // window of the same session) shows the right screen without waiting for a refused call.
    const onHash = () => void refresh();
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [refresh]);

  const active = gate.phase === 'active' ? gate.principal : null;
  const activeId = active?.userId;
  useEffect(() => {
    if (activeId === undefined) return;
    let live = true;
    client
      .call('setup.settings', {})
      .then((value) => live && setSettings(value))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [client, activeId, settingsGeneration]);

  const guarded = useMemo<ApiClient>(
    () => ({
      ...client,
      call: (async (method: string, input: unknown) => {
        try {
          return await (client.call as (m: string, i: unknown) => Promise<unknown>)(method, input);
        } catch (error) {
          if (
            error instanceof ClientError &&
            error.code === 'unauthenticated' &&
            !CREDENTIAL_METHODS.has(method)
          ) {
            void refresh();
          }
          throw error;
        }
      }) as ApiClient['call'],
    }),
    [client, refresh],
  );

  const session = useMemo<Session>(
    () => ({
      gate: holding ? { phase: 'setup' } : gate,
      registrant,
      demo,
      principal: holding ? null : active,
      settings,
      refresh,
      lock: async () => {
        // Already locked by the core (idle) answers unauthenticated: either way, ask again.
        await client.call('auth.lock', {}).catch(() => undefined);
        await refresh();
      },
      signOut: async () => {
        await client.call('auth.signOut', {}).catch(() => undefined);
        await refresh();
      },
      holdSetup: () => setHolding(true),
      finishSetup: () => {
        setHolding(false);
        void refresh();
      },
      reloadSettings: () => setSettingsGeneration((g) => g + 1),
    }),
    [holding, gate, registrant, demo, active, settings, refresh, client],
  );

  return (
    <SessionContext.Provider value={session}>
      <ClientProvider value={guarded}>{children}</ClientProvider>
    </SessionContext.Provider>
  );
}
