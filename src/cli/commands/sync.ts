import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../core/api/errors';
import { enqueueCapture, findPartnerByName, listOutbox, syncOverview, syncPass } from '../../core/sync';
import { dataOption, stringOption, UsageError, type Command } from '../command';
import { personOf, PASSWORD_HINT } from '../person';
import { withSyncDeps } from './sync-common';

/**
 * `custodia sync run`: one pass (pull until there is no next page, then deliver the outbox), as the
 * operating-system user, so a timer can run it. Exit 0 only when every item reached a durable
 * outcome (committed, delivered or dead-lettered); 1 when something waits for a later pass; 75 when
 * the app holds the ledger's writer or the keychain is locked (nothing changed).
 */
export const syncRunCommand: Command = {
  name: 'sync run',
  summary:
    'One partner sync pass: pull every new EPCIS page, then deliver the outbox (exit 75: try again later)',
  usage: 'sync run [--partner NAME] [--json] --data DIR',
  options: { ...dataOption, json: { type: 'boolean' }, partner: { type: 'string' } },
  access: { kind: 'machine-owner' },
  async run(args, io, caller) {
    const results = await withSyncDeps(args, io, async (deps) => {
      const name = stringOption(args, 'partner');
      let partnerId: number | undefined;
      if (name !== undefined) {
        try {
          partnerId = findPartnerByName(deps.ws, name).partnerId;
        } catch (error) {
          if (error instanceof ApiError) throw new UsageError(error.message, 1);
          throw error;
        }
      }
      return syncPass(deps, {
        ...(partnerId !== undefined ? { partnerId } : {}),
        actor: caller.actor,
        force: true,
        onProgress: (label, done) => {
          if (args.values.json !== true) io.err(`${label}: ${done} event(s)`);
        },
      });
    });
    if (args.values.json === true) io.out(JSON.stringify(results, null, 2));
    else for (const r of results) io.out(`${r.partner}: ${r.ok ? '' : 'FAILED: '}${r.message}`);
    return results.every((r) => r.ok && r.waiting === 0) ? 0 : 1;
  },
};

export const syncStatusCommand: Command = {
  name: 'sync status',
  summary:
    'Partner sync state: cursor, last pull, TLS certificate, outbox items waiting, failed and dead-lettered',
  usage: 'sync status [--json] --data DIR',
  options: { ...dataOption, json: { type: 'boolean' } },
  access: { kind: 'machine-owner' },
  async run(args, io) {
    const { views, outbox } = await withSyncDeps(args, io, async (deps) => ({
      views: syncOverview(deps.ws),
      outbox: listOutbox(deps.ws.db, 50).map((o) => ({
        id: o.id,
        partnerId: o.partnerId,
        kind: o.kind,
        name: o.name,
        state: o.state,
        attempts: o.attempts,
        lastError: o.lastError,
      })),
    }));
    if (args.values.json === true) {
      io.out(JSON.stringify({ partners: views, outbox }, null, 2));
      return 0;
    }
    for (const v of views) {
      io.out(
        `${v.name}: ${v.state.status} — ${v.state.message} Cursor ${v.state.cursor ?? 'none'}; ${v.waiting} waiting, ${v.failed} failed, ${v.dead} dead letter(s).`,
      );
      for (const w of v.warnings) io.out(`  ! ${w}`);
    }
    for (const o of outbox.filter((x) => x.state === 'dead'))
      io.out(`dead letter ${o.id} (${o.kind}) ${o.name}: ${o.lastError ?? 'no reason recorded'}`);
    return 0;
  },
};

export const syncSendCommand: Command = {
  name: 'sync send',
  summary: "Queue an EPCIS 2.0 JSON document (a T3 export, a shipment) for a partner's capture interface",
  usage: `sync send PARTNER FILE --data DIR --user NAME (${PASSWORD_HINT})`,
  options: { ...dataOption },
  positionals: [2, 2],
  access: { kind: 'person', permission: 'import.write', procedure: 'sync.send' },
  checkArgs(args) {
    const file = args.positionals[1]!;
    if (!fs.existsSync(file) || !fs.statSync(file).isFile())
      throw new UsageError(
        `${file} does not exist or is not a file (the path is relative to ${process.cwd()}).`,
      );
  },
  async run(args, io, caller) {
    const { actor } = personOf(caller);
    const file = args.positionals[1]!;
    const id = await withSyncDeps(args, io, async (deps) => {
      try {
        const partner = findPartnerByName(deps.ws, args.positionals[0]!);
        return await enqueueCapture(
          deps.ws,
          partner.partnerId,
          fs.readFileSync(file),
          path.basename(file),
          actor,
        );
      } catch (error) {
        if (error instanceof ApiError) throw new UsageError(error.message, 1);
        throw error;
      }
    });
    io.out(
      `Queued ${path.basename(file)} for ${args.positionals[0]} as outgoing item ${id}; the next sync pass sends it.`,
    );
    return 0;
  },
};
