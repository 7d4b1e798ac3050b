import fs from 'node:fs';
import {
  closeQuarantine,
  listQuarantine,
  quarantineBytes,
  reprocessQuarantine,
  showQuarantine,
  type QuarantineStatus,
} from '../../core/quarantine/service';
import { dataOption, stringOption, UsageError, type Command } from '../command';
import { cliActor, describeResult, fileReport, withCliTrace } from './import-common';

function idOf(text: string | undefined): number {
  if (text === undefined || !/^\d+$/.test(text))
    throw new UsageError('give the quarantine item number (see custodia quarantine list)');
  return Number(text);
}

const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16);

/** `custodia quarantine list|show|reprocess|close`. */
export const quarantineCommand: Command = {
  name: 'quarantine',
  summary:
    'List, show, reprocess (after fixing master data) or close (with a signed reason) quarantined partner files',
  usage:
    'quarantine list [--status open|reprocessed|closed] | show ID [--raw FILE] | reprocess ID | close ID --reason TEXT [--signed-by NAME]   [--data DIR] [--json]',
  options: {
    ...dataOption,
    json: { type: 'boolean' },
    status: { type: 'string' },
    raw: { type: 'string' },
    reason: { type: 'string' },
    'signed-by': { type: 'string' },
  },
  positionals: [1, 2],
  async run(args, io) {
    const [action, idText] = args.positionals;
    const json = args.values.json === true;
    return withCliTrace(args, async (ctx) => {
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
          if (raw !== undefined) fs.writeFileSync(raw, quarantineBytes(ctx, item.id), { mode: 0o600 });
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
          await closeQuarantine(ctx, id, reason, cliActor(), {
            displayName: stringOption(args, 'signed-by') ?? cliActor(),
          });
          const item = showQuarantine(ctx, id);
          io.out(json ? JSON.stringify(item, null, 2) : `Item ${id} closed: ${reason}`);
          return 0;
        }
        default:
          throw new UsageError('the action is list, show, reprocess or close');
      }
    });
  },
};
