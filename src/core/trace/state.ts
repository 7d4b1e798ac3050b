import type { Database, Statement } from 'better-sqlite3-multiple-ciphers';
import type { Effect, SerialStateName, SerialView, StateReader } from '../rules/lifecycle';

/**
 * The per-serial state and the aggregation graph as SQL projections, read by the rule engine and
 * changed by the effects of accepted events, inside the caller's write transaction.
 */
export class SerialStateStore implements StateReader {
  private readonly s: Record<string, Statement>;

  constructor(private readonly db: Database) {
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      get: p(
        'SELECT state, parent_id AS parentId, last_event_ms AS lastEventMs FROM serial_state WHERE trace_id = ?',
      ),
      children: p('SELECT trace_id FROM serial_state WHERE parent_id = ?').pluck(),
      create: p(
        'INSERT INTO serial_state (trace_id, state, disposition, parent_id, last_event_id, last_event_ms, owner, location, expiry) VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?)',
      ),
      state: p(
        'UPDATE serial_state SET state = ?, disposition = coalesce(?, disposition), last_event_id = ?, last_event_ms = ?, owner = coalesce(?, owner), location = coalesce(?, location) WHERE trace_id = ?',
      ),
      cascade: p(`
        WITH RECURSIVE below(id) AS (
          SELECT trace_id FROM serial_state WHERE parent_id = ?
          UNION ALL SELECT s.trace_id FROM serial_state s JOIN below b ON s.parent_id = b.id
        )
        UPDATE serial_state SET state = ?, disposition = coalesce(?, disposition), last_event_id = ?, last_event_ms = max(last_event_ms, ?), location = coalesce(?, location), owner = coalesce(?, owner)
        WHERE trace_id IN (SELECT id FROM below) AND state NOT IN ('dispensed', 'decommissioned', 'destroyed')`),
      // Most containers hold packages, not containers: their contents move with one indexed update,
      // and the recursive one above runs only when a content is itself a container.
      cascadeOne: p(`
        UPDATE serial_state SET state = ?, disposition = coalesce(?, disposition), last_event_id = ?, last_event_ms = max(last_event_ms, ?), location = coalesce(?, location), owner = coalesce(?, owner)
        WHERE parent_id = ? AND state NOT IN ('dispensed', 'decommissioned', 'destroyed')`),
      nested: p(
        'SELECT 1 FROM serial_state WHERE parent_id IN (SELECT trace_id FROM serial_state WHERE parent_id = ?) LIMIT 1',
      ).pluck(),
      pack: p(
        "UPDATE serial_state SET parent_id = ?, state = CASE state WHEN 'commissioned' THEN 'aggregated' ELSE state END, last_event_id = ?, last_event_ms = ? WHERE trace_id = ?",
      ),
      // A pallet packs many children at once: one statement for all of them (json_each of their ids).
      packMany: p(
        "UPDATE serial_state SET parent_id = ?, state = CASE state WHEN 'commissioned' THEN 'aggregated' ELSE state END, last_event_id = ?, last_event_ms = ? WHERE trace_id IN (SELECT value FROM json_each(?))",
      ),
      edgeAddMany: p(
        'INSERT OR IGNORE INTO aggregation_edges (parent_id, child_id, added_event, removed_event) SELECT ?, value, ?, NULL FROM json_each(?)',
      ),
      edgeAdd: p(
        'INSERT OR IGNORE INTO aggregation_edges (parent_id, child_id, added_event, removed_event) VALUES (?, ?, ?, NULL)',
      ),
      unpack: p(
        "UPDATE serial_state SET parent_id = NULL, state = CASE state WHEN 'aggregated' THEN 'commissioned' ELSE state END, last_event_id = ?, last_event_ms = ? WHERE trace_id = ?",
      ),
      edgeRemove: p(
        'UPDATE aggregation_edges SET removed_event = ? WHERE child_id = ? AND parent_id = ? AND removed_event IS NULL',
      ),
      expiry: p('UPDATE serial_state SET expiry = ? WHERE trace_id = ?'),
      lot: p('UPDATE trace_ids SET lot = ? WHERE id = ? AND lot IS NULL'),
      suspect: p('UPDATE serial_state SET suspect = 1 WHERE trace_id = ?'),
      expiryOf: p('SELECT expiry FROM serial_state WHERE trace_id = ?').pluck(),
      forget: p('DELETE FROM serial_state WHERE trace_id = ?'),
      forgetEdges: p('DELETE FROM aggregation_edges WHERE child_id = ? OR parent_id = ?'),
    };
  }

  serial(id: number): SerialView | undefined {
    return this.s.get!.get(id) as SerialView | undefined;
  }

  children(parentId: number): number[] {
    return this.s.children!.all(parentId) as number[];
  }

  apply(
    effects: readonly Effect[],
    at: {
      eventId: number;
      timeMs: number;
      disposition?: string;
      owner?: string;
      location?: string;
      lot?: string;
      expiry?: string;
      /** Identifier rows already written with this event's lot (trace/ids.ts). */
      lotWritten?: ReadonlySet<number>;
    },
  ): number[] {
    const touched: number[] = [];
    const owner = at.owner ?? null;
    const location = at.location ?? null;
    for (let i = 0; i < effects.length; i++) {
      const e = effects[i]!;
      switch (e.op) {
        case 'create':
          this.s.create!.run(
            e.id,
            e.state,
            at.disposition ?? null,
            at.eventId,
            at.timeMs,
            owner,
            location,
            e.implicit ? null : (at.expiry ?? null),
          );
          if (!e.implicit && at.lot !== undefined && at.lotWritten?.has(e.id) !== true)
            this.s.lot!.run(at.lot, e.id);
          touched.push(e.id);
          break;
        case 'state':
          this.s.state!.run(e.state, at.disposition ?? null, at.eventId, at.timeMs, owner, location, e.id);
          if (e.cascade) {
            if (this.s.nested!.get(e.id) === undefined)
              this.s.cascadeOne!.run(
                e.state,
                at.disposition ?? null,
                at.eventId,
                at.timeMs,
                location,
                owner,
                e.id,
              );
            else
              this.s.cascade!.run(
                e.id,
                e.state satisfies SerialStateName,
                at.disposition ?? null,
                at.eventId,
                at.timeMs,
                location,
                owner,
              );
          }
          touched.push(e.id);
          break;
        case 'pack': {
          // The children packed into this parent by the effects that follow: one update for all.
          const children = [e.child];
          while (i + 1 < effects.length) {
            const next = effects[i + 1]!;
            if (next.op !== 'pack' || next.parent !== e.parent) break;
            children.push(next.child);
            i++;
          }
          if (children.length === 1) {
            this.s.pack!.run(e.parent, at.eventId, at.timeMs, e.child);
            this.s.edgeAdd!.run(e.parent, e.child, at.eventId);
          } else {
            const ids = JSON.stringify(children);
            this.s.packMany!.run(e.parent, at.eventId, at.timeMs, ids);
            this.s.edgeAddMany!.run(e.parent, at.eventId, ids);
          }
          for (const child of children) touched.push(child, e.parent);
          break;
        }
        case 'unpack':
          this.s.unpack!.run(at.eventId, at.timeMs, e.child);
          this.s.edgeRemove!.run(at.eventId, e.child, e.parent);
          touched.push(e.child);
          break;
      }
    }
    return touched;
  }

  expiryOf(id: number): string | null {
    return (this.s.expiryOf!.get(id) as string | null | undefined) ?? null;
  }

  /** Drops a serial's state and its aggregation edges, before its events are replayed (a declared error). */
  forget(id: number): void {
    this.s.forget!.run(id);
    this.s.forgetEdges!.run(id, id);
  }

  flagSuspect(id: number): void {
    this.s.suspect!.run(id);
  }
}
