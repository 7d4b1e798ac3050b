import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { WriteTx } from '../../ledger/workspace';
import type { RuleFinding } from '../../model/findings';
import type { IngestHeader } from '../../model/records';

export const INGEST_ENTRY = {
  file: 'ingest.file',
  event: 'ingest.event',
  errorDeclaration: 'ingest.error-declaration',
  transaction: 'ingest.transaction',
  fsma: 'ingest.fsma-record',
  pendingResolved: 'ingest.pending-resolved',
  cancelled: 'ingest.cancelled',
} as const;

export interface FileMeta {
  readonly hash: Buffer;
  readonly name: string;
  readonly format: string;
  readonly size: number;
  readonly partnerId?: number;
  readonly source: string;
}

/** What a file's import counted, as the ingest_files row and the import's answer say it. */
export interface Tally {
  records: number;
  imported: number;
  duplicates: number;
  pending: number;
  /** Events of earlier files that were waiting and are now applied or rejected. */
  resolved: number;
}

/**
 * What every record kind's applier shares inside one file's write: the transaction, the file's
 * row and ledger entry, who imports it, and the counts and findings of the whole file.
 */
export interface FileContext {
  readonly writer: WriteTx;
  readonly db: Database;
  readonly meta: FileMeta;
  /** The file's hash in hex, as every entry of the file names it. */
  readonly fileHex: string;
  readonly header: IngestHeader;
  readonly actor: string;
  readonly now: number;
  /** Rebuilding projections from the ledger (ingest/rebuild.ts): quarantine rows are not recreated. */
  readonly replay: boolean;
  /** The ingest_files row; set by begin(), before any record. */
  fileId: number;
  readonly tally: Tally;
  /** Rejections of the whole file, reported together when it ends. */
  readonly findings: RuleFinding[];
}

/** The 32 bytes of a record hash ("ni:///sha-256;<hex>…" or bare hex). */
export function hashBytes(hash: string): Buffer {
  const m = /([0-9a-f]{64})/.exec(hash);
  if (m === null) throw new Error('record hash is not a sha-256 hex digest');
  return Buffer.from(m[1]!, 'hex');
}
