import fs from 'node:fs';
import {
  closeQuarantine,
  listQuarantine,
  quarantineBytes,
  showQuarantine,
  type QuarantineStatus,
} from '../../core/quarantine/service';
import type { Workspace } from '../../core/ledger/workspace';
import { ApiError } from '../../core/api/errors';
import { workspaceClosureSigner, type ClosureSigner } from '../../core/auth/signed-closure';
import { reprocessQuarantine } from '../../core/ingest/reprocess';
import { recordDisclosure } from '../../core/ledger/access-log';
import { dataOption, stringOption, UsageError, type Command } from '../command';
import { describeResult, fileReport, withCliWorkspace } from './import-common';
import { personOf, PASSWORD_HINT } from '../person';

function idOf(text: string | undefined): number {
  if (text === undefined || !/^\d+$/.test(text))
    throw new UsageError('give the quarantine item number (see custodia quarantine list)');
  return Number(text);
}

const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16);

/** The core's refusals (wrong password, locked account, no permission) as one line and exit 1. */
async function asPerson<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ApiError) throw new UsageError(error.message, 1);
    throw error;
  }
}

function cliSigner(ctx: Workspace): ClosureSigner {
  return workspaceClosureSigner(() => Promise.resolve(ctx));
}

/** `custodia quarantine list|show|reprocess|close`. */
export const quarantineCommand: Command = {
  name: 'quarantine',
  summary:
    'List, show, reprocess (after fixing master data) or close (with a signed reason) quarantined partner files',
  usage: `quarantine list [--status open|reprocessed|closed] | show ID [--raw FILE] | reprocess ID | close ID --reason TEXT   --user NAME [--data DIR] [--json]   (${PASSWORD_HINT})`,
  options: {
    ...dataOption,
    json: { type: 'boolean' },
    status: { type: 'string' },
    raw: { type: 'string' },
    reason: { type: 'string' },
  },
  positionals: [1, 2],
  access(args) {
    const [action] = args.positionals;
    if (action === 'reprocess' || action === 'close')
      return { kind: 'person', permission: 'import.write', procedure: `quarantine.${action}` };
    if (action === 'show' && stringOption(args, 'raw') !== undefined)
      return { kind: 'person', permission: 'ledger.read', procedure: 'quarantine.raw' };
    return { kind: 'person', permission: 'ledger.read', procedure: `quarantine.${action ?? 'list'}` };
  },
  checkArgs(args) {
    const [action, idText] = args.positionals;
    if (!['list', 'show', 'reprocess', 'close'].includes(action!))
      throw new UsageError('the action is list, show, reprocess or close');
    if (action !== 'list') idOf(idText);
    if (action === 'close' && stringOption(args, 'reason') === undefined)
      throw new UsageError('give the reason for closing with --reason TEXT');
  },
  async run(args, io, caller) {
    const [action, idText] = args.positionals;
    const json = args.values.json === true;
    const person = personOf(caller);
    return withCliWorkspace(args, async (ctx) => {
      switch (action) {
        case 'list': {
          const status = stringOption(args, 'status');
          if (status !== undefined && !['open', 'reprocessed', 'closed'].includes(status))
            throw new UsageError('--status is open, reprocessed or closed');
          const { items, total } = listQuarantine(ctx, {
            ...(status !== undefined ? { status: status as QuarantineStatus } : {}),
            limit: 500,
          });
          if (json) io.out(JSON.stringify({ items, total }, null, 2));
          else if (items.length === 0) io.out('Nothing in quarantine.');
          else {
            for (const i of items) {
              io.out(
                `${String(i.id).padStart(4)}  ${i.status.padEnd(11)} ${when(i.openedMs)}  ${i.fileName}  ${i.records} records, ${i.reasonCount} reason(s): ${i.rules.join(', ')}${i.suspect ? '  SUSPECT' : ''}`,
              );
            }
          }
          return 0;
        }
        case 'show': {
          const item = showQuarantine(ctx, idOf(idText));
          const raw = stringOption(args, 'raw');
          if (raw !== undefined) {
            // Who took the bytes as received (serials in clear) is recorded, like quarantine.raw.
            const viewer = person.principal;
            const bytes = quarantineBytes(ctx, item.id);
            await recordDisclosure(
              ctx,
              viewer,
              { procedure: 'cli quarantine show --raw', transport: 'cli' },
              { records: { quarantine_items: [item.id] }, identifiers: 0, rawBytes: bytes.length },
            );
            fs.writeFileSync(raw, bytes, { mode: 0o600 });
          }
          if (json) io.out(JSON.stringify(item, null, 2));
          else {
            io.out(
              `Item ${item.id} (${item.kind}) ${item.status}: ${item.fileName}, ${item.format}, ${item.size} bytes, from ${item.source}, opened ${when(item.openedMs)}`,
            );
            for (const r of item.reasons)
              io.out(
                `  - [${r.rule}] record ${r.record ?? '(file)'}${r.position ? ` at ${r.position}` : ''}${r.field ? ` (${r.field})` : ''}: ${r.message}`,
              );
            if (raw !== undefined) io.out(`Raw bytes written to ${raw}.`);
          }
          return 0;
        }
        case 'reprocess': {
          const result = await reprocessQuarantine(ctx, idOf(idText), person.actor);
          io.out(json ? JSON.stringify(fileReport(result), null, 2) : describeResult(result));
          return result.quarantined > 0 ? 1 : 0;
        }
        case 'close': {
          const reason = stringOption(args, 'reason');
          if (reason === undefined) throw new UsageError('give the reason for closing with --reason TEXT');
          const id = idOf(idText);
          await asPerson(() =>
            closeQuarantine(ctx, id, reason, {
              signer: cliSigner(ctx),
              who: { userId: person.principal.userId },
              password: person.password,
            }),
          );
          const item = showQuarantine(ctx, id);
          const sig = item.resolution?.signature;
          io.out(
            json
              ? JSON.stringify(item, null, 2)
              : `Item ${id} closed, signed by ${sig?.printedName} at ${sig?.signedAt}: ${sig?.meaning}`,
          );
          return 0;
        }
        default:
          throw new UsageError('the action is list, show, reprocess or close');
      }
    });
  },
};
