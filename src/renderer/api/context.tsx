import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import type { Contract, Method, OutputOf } from '../../core/api';
import { asClientError, type ApiClient, type ClientError } from './client';

const ClientContext = createContext<ApiClient | null>(null);

export const ClientProvider = ClientContext.Provider;

export function useClient(): ApiClient {
  const client = useContext(ClientContext);
  if (client === null) throw new Error('useClient outside ClientProvider');
  return client;
}

export type Query<T> =
  | { status: 'loading'; data?: undefined; error?: undefined }
  | { status: 'ok'; data: T; error?: undefined }
  | { status: 'error'; data?: undefined; error: ClientError };

/** Calls a procedure when the component mounts (and on reload()); the state a page renders from. */
export function useQuery<M extends Method>(
  method: M,
  input: unknown,
): Query<OutputOf<Contract[M]>> & { reload: () => void } {
  const client = useClient();
  const [state, setState] = useState<Query<OutputOf<Contract[M]>>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify(input ?? null);
  useEffect(() => {
    let live = true;
    client
      .call(method, JSON.parse(key) ?? undefined)
      .then((data) => live && setState({ status: 'ok', data }))
      .catch((error: unknown) => live && setState({ status: 'error', error: asClientError(error) }));
    return () => {
      live = false;
    };
  }, [client, method, key, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
}

/**
 * Asks a query again whenever the page's generation moves on: a page counts what changed under it
 * (an import, a closed item) and every list and detail it holds reloads. Generation 0 is the load
 * the query made on mounting.
 */
export function useReloadOn(generation: number, reload: () => void): void {
  useEffect(() => {
    if (generation > 0) reload();
  }, [generation, reload]);
}
