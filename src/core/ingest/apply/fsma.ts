import type { Database, Statement } from 'better-sqlite3-multiple-ciphers';
import { canonicalize } from '../../ledger/jcs';
import type { FsmaReceived, FsmaRecord } from '../../model/records';
import { hashBytes, INGEST_ENTRY, type FileContext } from './context';

/*
 * FSMA 204 key data element records (21 CFR 1.1345): one ledger entry and one fsma_records row per
 * record, its input lots in fsma_inputs. Kept apart from the drug-side appliers so the KDE columns
 * can grow here alone.
 */

/** The fsma_records and fsma_inputs SQL. */
class FsmaStore {
  private readonly byHash: Statement;
  private readonly insert: Statement;
  private readonly insertInput: Statement;

  constructor(db: Database) {
    this.byHash = db.prepare('SELECT id FROM fsma_records WHERE record_hash = ?').pluck();
    this.insert = db.prepare(
      `INSERT INTO fsma_records (file_id, ledger_seq, record_hash, cte, tlc, event_date, product, quantity, from_name, to_name, kdes)
       VALUES (@fileId, @seq, @hash, @cte, @tlc, @date, @product, @quantity, @from, @to, @kdes)`,
    );
    this.insertInput = db.prepare('INSERT OR IGNORE INTO fsma_inputs (record_id, input_tlc) VALUES (?, ?)');
  }

  known(hash: Buffer): boolean {
    return this.byHash.get(hash) !== undefined;
  }

  add(row: FsmaRow, inputs: readonly string[]): void {
    const id = Number(this.insert.run(row).lastInsertRowid);
    for (const tlc of inputs) this.insertInput.run(id, tlc);
  }
}

/** One fsma_records row; a new KDE column is a field here, in the INSERT above and in rowOf. */
interface FsmaRow {
  fileId: number;
  seq: number;
  hash: Buffer;
  cte: string;
  tlc: string;
  date: string | null;
  product: string | null;
  quantity: string | null;
  from: string | null;
  to: string | null;
  /** Every KDE of the record, canonical JSON (what the columns above summarize). */
  kdes: string;
}

function rowOf(record: FsmaRecord, fileId: number, seq: number, hash: Buffer): FsmaRow {
  const k = record.kdes;
  return {
    fileId,
    seq,
    hash,
    cte: record.cte,
    tlc: k.tlc ?? '',
    date: k.date ?? null,
    product: k['product.name'] ?? k.product ?? k.commodity ?? null,
    quantity: k.quantity !== undefined ? `${k.quantity} ${k.quantityUnit ?? ''}`.trim() : null,
    from: k['shipFrom.businessName'] ?? k['previousSource.businessName'] ?? k['farm.businessName'] ?? null,
    to: k['recipient.businessName'] ?? k['receivedAt.businessName'] ?? null,
    kdes: canonicalize(k),
  };
}

/** Applies a file's FSMA records: a record already imported (same hash) counts as a duplicate. */
export class FsmaApplier {
  private readonly store: FsmaStore;

  constructor(private readonly file: FileContext) {
    this.store = new FsmaStore(file.db);
  }

  record(record: FsmaRecord, index: number, hash: string, received?: FsmaReceived): void {
    const f = this.file;
    const hashBuf = hashBytes(hash);
    if (this.store.known(hashBuf)) {
      f.tally.duplicates++;
      return;
    }
    const [seq] = f.writer.append([
      {
        time: f.now,
        type: INGEST_ENTRY.fsma,
        actor: f.actor,
        // The row(s) as received ride beside the record (not in its hash), so a report gives them back whole.
        payload: { file: f.fileHex, index, hash, record, ...(received !== undefined ? { received } : {}) },
      },
    ]);
    const inputs = (record.inputs ?? []).flatMap((input) => (input.tlc !== undefined ? [input.tlc] : []));
    this.store.add(rowOf(record, f.fileId, seq!, hashBuf), inputs);
    f.tally.imported++;
  }
}
