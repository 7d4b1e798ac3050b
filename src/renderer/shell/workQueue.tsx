import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Contract, OutputOf } from '../../core/api';
import { useClient } from '../api/context';
import type { AreaId } from './areas';
import { nextDue } from '../pages/receiving/Investigations';
import { remaining } from '../pages/requests/Requests';

/** How soon a line must be handled: the order the dashboard lists them in. */
export type Urgency = 'overdue' | 'clock' | 'waiting' | 'pending';

/** One line of the day's work: what, how many, how soon, and where it is handled. */
export interface QueueLine {
  readonly id: string;
  readonly area: AreaId;
  readonly href: string;
  readonly count: number;
  readonly urgency: Urgency;
  readonly title: string;
  readonly detail?: string;
  /** The deadline, for lines that run against a clock (earliest first). */
  readonly dueMs?: number;
}

export interface WorkQueue {
  readonly lines: readonly QueueLine[];
  /** Lines whose source could not be read, named, so a gap is never read as "nothing to do". */
  readonly failed: readonly string[];
  readonly loaded: boolean;
  /** Badge per area: the sum of its lines, the same numbers the dashboard shows. */
  readonly badges: Partial<Record<AreaId, number>>;
  readonly reload: () => void;
}

const EMPTY: WorkQueue = { lines: [], failed: [], loaded: false, badges: {}, reload: () => {} };
const Context = createContext<WorkQueue>(EMPTY);

export function useWorkQueue(): WorkQueue {
  return useContext(Context);
}

type Investigation = OutputOf<Contract['receiving.investigations']>['investigations'][number];
type Request = OutputOf<Contract['requests.list']>['requests'][number];
type Due = OutputOf<Contract['counts.nextDue']>;

const RANK: Record<Urgency, number> = { overdue: 0, clock: 1, waiting: 2, pending: 3 };

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The day's work, read once for the dashboard and the navigation's badges alike, so the two always
 * agree. Refreshed when the ledger changes and when the person moves between areas, never on a
 * timer (every call counts as activity, and a timer would keep the workstation from locking).
 */
export function WorkQueueProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const [state, setState] = useState<Omit<WorkQueue, 'reload'>>(EMPTY);
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => {
    let live = true;
    const failed: string[] = [];
    const get = <T,>(what: string, p: Promise<T>): Promise<T | undefined> =>
      p.catch(() => {
        failed.push(what);
        return undefined;
      });
    void Promise.all([
      get('suspect-product investigations', client.call('receiving.investigations', { status: 'open' })),
      get('records requests', client.call('requests.list', { status: 'open' })),
      get('approvals', client.call('approvals.pending', {})),
      get('receiving exceptions', client.call('receiving.exceptions', { status: 'open' })),
      get('quarantine', client.call('quarantine.list', { status: 'open', limit: 1 })),
      get('shipments', client.call('receiving.shipments', { status: 'open', limit: 500 })),
      get('biennial inventory', client.call('counts.nextDue', {})),
    ]).then(([investigations, requests, approvals, exceptions, quarantine, shipments, due]) => {
      if (!live) return;
      const lines = [
        ...(investigations?.investigations ?? []).map(investigationLine),
        ...(requests?.requests ?? []).map(requestLine),
        ...countLine('approvals', approvals?.pending.length, (n) => ({
          area: 'approvals',
          href: '#/approvals',
          urgency: 'waiting',
          title: `${plural(n, 'Schedule II transaction', 'Schedule II transactions')} waiting for a second person`,
        })),
        ...countLine('exceptions', exceptions?.exceptions.length, (n) => ({
          area: 'receiving',
          href: '#/receiving/exceptions',
          urgency: 'waiting',
          title: `${plural(n, 'receiving exception', 'receiving exceptions')} open`,
          detail: 'Product set aside until the seller corrects the data or it is returned.',
        })),
        ...countLine('quarantine', quarantine?.total, (n) => ({
          area: 'import',
          href: '#/import/quarantine',
          urgency: 'waiting',
          title: `${plural(n, 'partner file or event', 'partner files or events')} in quarantine`,
          detail: 'Their data is not in the records until someone decides.',
        })),
        ...countLine('shipments', shipments?.shipments.length, (n) => ({
          area: 'receiving',
          href: '#/receiving',
          urgency: 'pending',
          title: `${plural(n, 'shipment', 'shipments')} not yet received`,
          detail: 'Transaction data arrived; scan the product when it does.',
        })),
        ...(due ? countsLine(due) : []),
      ].sort(
        (a, b) =>
          RANK[a.urgency] - RANK[b.urgency] ||
          (a.dueMs ?? Number.MAX_SAFE_INTEGER) - (b.dueMs ?? Number.MAX_SAFE_INTEGER),
      );
      const badges: Partial<Record<AreaId, number>> = {};
      for (const line of lines) badges[line.area] = (badges[line.area] ?? 0) + line.count;
      setState({ lines, failed, loaded: true, badges });
    });
    return () => {
      live = false;
    };
  }, [client, generation]);

  useEffect(() => {
    const off = client.onEvent((event) => {
      if (event.topic === 'ledger.changed') reload();
    });
    window.addEventListener('hashchange', reload);
    return () => {
      off();
      window.removeEventListener('hashchange', reload);
    };
  }, [client, reload]);

  const value = useMemo(() => ({ ...state, reload }), [state, reload]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

/** "3 h 20 min left", or "overdue by 2 d 1 h 0 min". */
function left(dueMs: number): string {
  const ms = dueMs - Date.now();
  return ms < 0 ? `overdue by ${remaining(ms)}` : `${remaining(ms)} left`;
}

function countLine(
  id: string,
  count: number | undefined,
  line: (n: number) => Omit<QueueLine, 'id' | 'count'>,
): QueueLine[] {
  return count !== undefined && count > 0 ? [{ id, count, ...line(count) }] : [];
}

function investigationLine(i: Investigation): QueueLine {
  const due = nextDue(i.clocks);
  const product = [i.productName ?? i.gtin, i.lot ? `lot ${i.lot}` : undefined].filter(Boolean).join(', ');
  return {
    id: `investigation-${i.id}`,
    area: 'receiving',
    href: `#/receiving/investigations/${i.id}`,
    count: 1,
    urgency: due !== undefined && due.dueMs < Date.now() ? 'overdue' : 'clock',
    title: `Suspect product investigation ${i.id}${product ? `: ${product}` : ''}`,
    detail: due ? `${due.name}: ${left(due.dueMs)}` : i.reason,
    ...(due ? { dueMs: due.dueMs } : {}),
  };
}

function requestLine(r: Request): QueueLine {
  return {
    id: `request-${r.id}`,
    area: 'dashboard',
    href: `#/dashboard/requests`,
    count: 1,
    urgency: r.dueMs < Date.now() ? 'overdue' : 'clock',
    title: `Records request from ${r.requester} (${r.regime === 'fsma-204' ? 'FSMA 204' : 'DSCSA'})`,
    detail: `Answer due: ${left(r.dueMs)}`,
    dueMs: r.dueMs,
  };
}

function countsLine(due: Due): QueueLine[] {
  const base = { id: 'biennial', area: 'inventory' as const, href: '#/inventory/biennial', count: 1 };
  switch (due.state) {
    case 'initial-missing':
      return [{ ...base, urgency: 'pending', title: 'Initial controlled-substance inventory not taken yet' }];
    case 'overdue':
      return [{ ...base, urgency: 'overdue', title: `Biennial inventory overdue since ${due.dueBy}` }];
    case 'due-soon':
      return [
        {
          ...base,
          urgency: 'pending',
          title: `Biennial inventory due by ${due.dueBy} (${due.daysLeft} days)`,
        },
      ];
    case 'ok':
      return [];
  }
}
