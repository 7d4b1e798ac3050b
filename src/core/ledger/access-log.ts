import { ApiError } from '../api/errors';
import type { CallContext } from '../api/router';
import type { FieldSealer } from '../sealing/field-sealer';
import type { SealContext } from '../sealing/sealed-format';
import type { Workspace } from './workspace';

/**
 * Who saw sealed identifiers, when, through which procedure: one ledger entry per call that opened
 * any (a 1000-serial trace is one entry), naming the records by their row ids and counting the
 * values opened. Never the identifiers themselves: the log must not become a copy of what sealing
 * protects.
 */
export const ACCESS_ENTRY = 'access.identifiers-shown';

/** What a call disclosed, in terms that name no serial. */
export interface Disclosure {
  /** The records whose identifiers were shown: {trace_ids: [12]}, {investigations: [3]}, {quarantine_items: [7]}. */
  readonly records: Record<string, readonly number[]>;
  /** How many sealed values were opened (0 for raw bytes, which are not sealed field by field). */
  readonly identifiers: number;
  /** Raw partner bytes returned as received (they hold serials in clear). */
  readonly rawBytes?: number;
  /** Ledger entries returned whole (imported events and receiving records hold identifiers in clear). */
  readonly entries?: number;
}

/** A sealer that counts what it opens and remembers which rows, for one call. */
export interface CountingSealer {
  readonly sealer: FieldSealer;
  /** Values opened so far, and the row ids per table they came from. */
  opened(): { count: number; rows: Map<string, Set<number>> };
}

export function countingSealer(inner: FieldSealer): CountingSealer {
  let count = 0;
  const rows = new Map<string, Set<number>>();
  const note = (at: SealContext) => {
    count++;
    let set = rows.get(at.table);
    if (set === undefined) rows.set(at.table, (set = new Set()));
    if (typeof at.rowId === 'number') set.add(at.rowId);
  };
  return {
    sealer: {
      seal: (value, at) => inner.seal(value, at),
      openText(sealed, at) {
        const text = inner.openText(sealed, at);
        note(at);
        return text;
      },
      openBytes(sealed, at) {
        const bytes = inner.openBytes(sealed, at);
        note(at);
        return bytes;
      },
      keyVersionOf: (sealed) => inner.keyVersionOf(sealed),
      needsResealing: (sealed) => inner.needsResealing(sealed),
      blindIndex: (domain, value, options) => inner.blindIndex(domain, value, options),
    },
    opened: () => ({ count, rows }),
  };
}

/** The person a disclosure is recorded under; nobody signed in means nothing is shown. */
export function viewerOf(call: CallContext): { userId: string } {
  if (call.principal === null) {
    throw new ApiError(
      'unauthenticated',
      'Sign in first: sealed identifiers are shown only to a signed-in person, and each showing is recorded.',
    );
  }
  return { userId: call.principal.userId };
}

/**
 * Appends the access entry. Called after the read and before the answer leaves the core: when the
 * entry cannot be written, the identifiers are not returned.
 */
export async function recordDisclosure(
  ws: Pick<Workspace, 'write'>,
  viewer: { userId: string },
  via: { procedure: string; transport: string },
  disclosure: Disclosure,
): Promise<void> {
  const records: Record<string, number[]> = {};
  for (const [table, ids] of Object.entries(disclosure.records)) {
    if (ids.length > 0) records[table] = [...ids].sort((a, b) => a - b);
  }
  await ws.write((tx) =>
    tx.append([
      {
        type: ACCESS_ENTRY,
        actor: viewer.userId,
        payload: {
          // The line the ledger table shows: what was shown and how, never the values themselves.
          summary: `${
            disclosure.rawBytes !== undefined
              ? `${disclosure.rawBytes} raw bytes as received`
              : disclosure.entries !== undefined
                ? `${disclosure.entries} ledger entr${disclosure.entries === 1 ? 'y' : 'ies'} with identifiers in clear`
                : `${disclosure.identifiers} sealed identifier(s)`
          } shown through ${via.procedure} (${via.transport}) of ${Object.entries(records)
            .map(([table, ids]) => `${table} ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ' …' : ''}`)
            .join('; ')}`,
          procedure: via.procedure,
          transport: via.transport,
          records,
          identifiers: disclosure.identifiers,
          ...(disclosure.rawBytes !== undefined ? { rawBytes: disclosure.rawBytes } : {}),
          ...(disclosure.entries !== undefined ? { entries: disclosure.entries } : {}),
        },
      },
    ]),
  );
}

/**
 * Runs a read that may open sealed identifiers for a person: refuses when nobody is signed in,
 * counts what the read opens, and records one access entry when it disclosed anything (describe
 * returns null when nothing was shown, e.g. a lookup that found nothing).
 */
export async function disclosing<C extends Pick<Workspace, 'sealer' | 'write'>, T>(
  ctx: C,
  call: CallContext,
  procedure: string,
  read: (ctx: C) => T | Promise<T>,
  describe: (result: T, opened: ReturnType<CountingSealer['opened']>) => Disclosure | null,
): Promise<T> {
  const viewer = viewerOf(call);
  const counting = countingSealer(ctx.sealer);
  const result = await read({ ...ctx, sealer: counting.sealer });
  const disclosure = describe(result, counting.opened());
  if (disclosure !== null && (disclosure.identifiers > 0 || (disclosure.rawBytes ?? 0) > 0)) {
    await recordDisclosure(ctx, viewer, { procedure, transport: call.transport }, disclosure);
  }
  return result;
}
