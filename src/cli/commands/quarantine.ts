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
import { dataOption, stringOption, UsageError, type CliIo, type Command, type ParsedArgs } from '../command';
import { cliActor, describeResult, fileReport, withCliWorkspace } from './import-common';

function idOf(text: string | undefined): number {
  if (text === undefined || !/^\d+$/.test(text))
    throw new UsageError('give the quarantine item number (see custodia quarantine list)');
  return Number(text);
}

const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16);

/** Reads a line typed without echo (the password never shows on screen or in the scrollback). */
function promptHidden(question: string): Promise<string> {
  const { stdin, stderr } = process;
  stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let text = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          finish();
          resolve(text);
          return;
        }
        if (ch === '\u0003' || ch === '\u0004') {
          finish();
          reject(new UsageError('cancelled: nothing was signed', 130));
          return;
        }
        text = ch === '\u007f' || ch === '\b' ? text.slice(0, -1) : text + ch;
      }
    };
    stdin.on('data', onData);
  });
}

/**
 * The person acting and their own password, never an argument (command lines show in ps and shell
 * history): CUSTODIA_PASSWORD, else stdin, else typed at the terminal without echo. Like `call --user`.
 */
async function personOf(
  args: ParsedArgs,
  io: CliIo,
  what: string,
): Promise<{ username: string; password: string }> {
  const username = stringOption(args, 'user');
  if (username === undefined) throw new UsageError(`${what} needs the person doing it: add --user NAME`);
  let password = io.env.CUSTODIA_PASSWORD ?? (await io.readStdin()).replace(/\r?\n$/, '');
  if (password === '' && process.stdin.isTTY === true && io.env === process.env)
    password = await promptHidden(`Password for ${username} (to sign): `);
  if (password === '')
    throw new UsageError(
      `${what} is signed with your password: type it when asked, pipe it on stdin, or set CUSTODIA_PASSWORD`,
    );
  return { username, password };
}

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
  usage:
    'quarantine list [--status open|reprocessed|closed] | show ID [--raw FILE --user NAME] | reprocess ID | close ID --reason TEXT --user NAME   [--data DIR] [--json]   (password: typed when asked, stdin or CUSTODIA_PASSWORD)',
  options: {
    ...dataOption,
    json: { type: 'boolean' },
    status: { type: 'string' },
    raw: { type: 'string' },
    reason: { type: 'string' },
    user: { type: 'string', short: 'u' },
  },
  positionals: [1, 2],
  async run(args, io) {
    const [action, idText] = args.positionals;
    const json = args.values.json === true;
    if (action === 'close' && stringOption(args, 'reason') === undefined)
      throw new UsageError('give the reason for closing with --reason TEXT');
    // Asked before the ledger opens, so it is not held while someone types.
    const person =
      action === 'close'
        ? await personOf(args, io, 'closing a quarantine item')
        : action === 'show' && stringOption(args, 'raw') !== undefined
          ? await personOf(args, io, 'writing the raw bytes (they hold serial numbers)')
          : undefined;
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
          if (raw !== undefined && person !== undefined) {
            // Who took the bytes as received (serials in clear) is recorded, like quarantine.raw.
            const viewer = await asPerson(() =>
              cliSigner(ctx).authenticate({ username: person.username }, person.password, {
                procedure: 'quarantine.show --raw',
                subject: { quarantineItem: item.id },
              }),
            );
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
          const result = await reprocessQuarantine(ctx, idOf(idText), cliActor());
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
              who: { username: person!.username },
              password: person!.password,
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
