import { canonicalLgtin, canonicalSgtin, canonicalSscc } from '../../model/trace-id';
import type { DscsaTransaction } from '../../model/records';
import { transactionFindings, type DscsaContext } from '../../rules/dscsa';
import type { TraceIds } from '../../trace/ids';
import { hashBytes, INGEST_ENTRY, type FileContext } from './context';
import type { ProductInfo, ShipmentStore } from './shipments';

/**
 * DSCSA transaction data read from X12 856 or T3 sheets: each transaction is checked (TI, TS,
 * authorized partners), recorded as one ledger entry, and projected as a shipment with its lines.
 */
export class TransactionApplier {
  constructor(
    private readonly file: FileContext,
    private readonly shipments: ShipmentStore,
    private readonly ids: TraceIds,
    private readonly dscsa: DscsaContext,
  ) {}

  record(t: DscsaTransaction, index: number, position: string, hash: string): void {
    const f = this.file;
    const hashBuf = hashBytes(hash);
    if (this.shipments.known(hashBuf)) {
      f.tally.duplicates++;
      return;
    }
    const found = transactionFindings(t, index, position, this.dscsa);
    if (found.length > 0) {
      f.findings.push(...found);
      return;
    }
    const [seq] = f.writer.append([
      {
        time: f.now,
        type: INGEST_ENTRY.transaction,
        actor: f.actor,
        payload: { file: f.fileHex, index, hash, transaction: t },
      },
    ]);
    const shipmentId = this.shipments.add({
      fileId: f.fileId,
      eventId: null,
      hash: hashBuf,
      seq: seq!,
      seller: t.seller.gln ?? t.seller.name ?? null,
      sellerName: t.seller.name ?? null,
      buyer: t.buyer.gln ?? t.buyer.name ?? null,
      shipFrom: t.shipFrom?.gln ?? null,
      shipTo: t.shipTo?.gln ?? t.buyer.gln ?? null,
      shipToName: t.shipTo?.name ?? t.buyer.name ?? null,
      transactionDate: t.transactionDate ?? null,
      shipDate: t.shipDate ?? null,
      reference: t.reference,
      statement: t.statement.affirmed ? 1 : 0,
      statementText: t.statement.text ?? null,
    });
    for (const line of t.lines) {
      const info: ProductInfo = {
        ndc: line.ndc ?? null,
        name: line.name ?? null,
        strength: line.strength ?? null,
        dosageForm: line.dosageForm ?? null,
        container: line.containerSize ?? null,
      };
      if (line.gtin !== undefined) this.shipments.saveProduct(line.gtin, info, null, seq!);
      const item = { gtin: line.gtin ?? null, info, lot: line.lot ?? null, expiry: line.expiry ?? null };
      if (line.serials !== undefined && line.serials.length > 0 && line.gtin !== undefined) {
        for (const serial of line.serials) {
          const traceId = this.ids.ensure(canonicalSgtin(line.gtin, serial), line.lot);
          this.shipments.addItem(shipmentId, { ...item, traceId, quantity: 1 });
        }
      } else if (line.sscc !== undefined) {
        const traceId = this.ids.ensure(canonicalSscc(line.sscc));
        this.shipments.addItem(shipmentId, { ...item, traceId, quantity: line.quantity });
      } else {
        const traceId =
          line.gtin !== undefined && line.lot !== undefined
            ? this.ids.ensure(canonicalLgtin(line.gtin, line.lot))
            : null;
        this.shipments.addItem(shipmentId, { ...item, traceId, quantity: line.quantity });
      }
    }
    f.tally.imported++;
  }
}
