import fs from 'node:fs';
import path from 'node:path';
import {
  BUNDLE_MAGIC,
  bundlePrelude,
  encodeHeader,
  formatManifest,
  headerDigest,
  type BundleHeader,
} from './audit-verify/bundle-format';
import type { Workspace } from './workspace';
import { consistencyProof, frontierAt } from './merkle';
import { signNote } from './note';
import { activeSigners } from './signing-keys';

export interface ExportOptions {
  readonly actor: string;
  /** Only records at or after this time (ms); the bundle still proves where they sit in the whole tree. */
  readonly fromMs?: number;
  /** Only records up to this time (ms); the bundle runs on to the next checkpoint. */
  readonly toMs?: number;
}

export interface ExportResult {
  readonly file: string;
  readonly first: number;
  readonly end: number;
  readonly checkpoints: number;
  readonly checkpoint: string;
  /** The standing alarm it was taken under (nothing was appended for it), or null. */
  readonly alarm: string | null;
}

const WRITE_CHUNK = 4 << 20;

/**
 * Writes an audit bundle (docs/audit-bundle.md, format version 2). The export itself is recorded
 * as an entry and gets a fresh checkpoint first (ledger-anchors §8 C.8), so the bundle ends at a
 * signed head. Under a standing alarm nothing is appended (the ledger is read-only): the bundle
 * ends at the last checkpoint signed before it and says, in its signed header, which alarm stood,
 * so an investigator can still take the evidence out.
 */
export async function exportBundle(
  ws: Pick<Workspace, 'ledger' | 'checkpoint'>,
  outFile: string,
  options: ExportOptions,
): Promise<ExportResult> {
  const scopeFrom = options.fromMs === undefined ? '-' : new Date(options.fromMs).toISOString();
  const scopeTo = options.toMs === undefined ? '-' : new Date(options.toMs).toISOString();
  const ledger = ws.ledger;
  const alarm = ledger.blocked === null ? null : ledger.standingAlarm;
  // Read-only (an alarm, or a second connection while the app holds the ledger): the last signed head.
  const checkpoint =
    alarm === null && !ledger.readOnly
      ? await ws.checkpoint({
          type: 'audit.exported',
          actor: options.actor,
          payload: { file: path.basename(outFile), from: scopeFrom, to: scopeTo },
        })
      : ledger.latestCheckpoint();
  const db = ledger.db;
  const rows = db.prepare('SELECT size, root, note FROM ledger_checkpoints ORDER BY size, id').all() as {
    size: number;
    root: Buffer;
    note: string;
  }[];
  const first =
    options.fromMs === undefined
      ? 0
      : ((
          db.prepare('SELECT min(seq) AS s FROM ledger_leaves WHERE time_ms >= ?').get(options.fromMs) as {
            s: number | null;
          }
        ).s ?? checkpoint.size - 1);
  const lastWanted =
    options.toMs === undefined
      ? checkpoint.size - 1
      : ((
          db.prepare('SELECT max(seq) AS s FROM ledger_leaves WHERE time_ms <= ?').get(options.toMs) as {
            s: number | null;
          }
        ).s ?? first);
  const end = rows.find((r) => r.size > Math.max(first, lastWanted))?.size ?? checkpoint.size;
  const seen = new Set<string>();
  const chosen = rows.filter((r) => r.size <= end && !seen.has(r.note) && seen.add(r.note));
  const checkpoints = chosen.map((r, i) => ({
    note: r.note,
    consistencyFromPrevious:
      i === 0
        ? []
        : consistencyProof(ledger.perfect, chosen[i - 1]!.size, r.size).map((h) => h.toString('base64')),
  }));
  const keys = (
    db
      .prepare(
        'SELECT vkey, valid_from_size, rotation_note FROM ledger_keys ORDER BY valid_from_size, added_ms',
      )
      .all() as {
      vkey: string;
      valid_from_size: number;
      rotation_note: string | null;
    }[]
  ).map((k) => ({ vkey: k.vkey, validFromSize: k.valid_from_size, rotation: k.rotation_note }));
  const unsigned: BundleHeader = {
    format: BUNDLE_MAGIC,
    manifest: '',
    alarm,
    keys,
    checkpoints,
    prefix: {
      size: first,
      subtrees: frontierAt(ledger.perfect, first).subtrees.map((h) => h.toString('base64')),
    },
  };
  // The manifest signs the header's bytes (keys, checkpoints, prefix, alarm): every byte is covered.
  const manifest = signNote(
    formatManifest({
      origin: ledger.origin,
      first,
      end,
      checkpoints: checkpoints.length,
      createdMs: Date.now(),
      scopeFrom,
      scopeTo,
      headerDigest: headerDigest(encodeHeader(unsigned)),
    }),
    activeSigners(ledger.signingKeys(), Date.now()),
  );
  const header: BundleHeader = { ...unsigned, manifest };
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  const partial = `${outFile}.partial`;
  const fd = fs.openSync(partial, 'w', 0o600);
  try {
    fs.writeSync(fd, bundlePrelude(header, end - first));
    const stmt = db.prepare('SELECT leaf FROM ledger_leaves WHERE seq >= ? AND seq < ? ORDER BY seq').pluck();
    let parts: Buffer[] = [];
    let size = 0;
    const NL = Buffer.from('\n');
    for (const leaf of stmt.iterate(first, end) as IterableIterator<Buffer>) {
      parts.push(leaf, NL);
      size += leaf.length + 1;
      if (size >= WRITE_CHUNK) {
        fs.writeSync(fd, Buffer.concat(parts, size));
        parts = [];
        size = 0;
      }
    }
    if (size > 0) fs.writeSync(fd, Buffer.concat(parts, size));
    fs.writeSync(fd, 'end\n');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(partial, outFile);
  return { file: outFile, first, end, checkpoints: checkpoints.length, checkpoint: checkpoint.note, alarm };
}
