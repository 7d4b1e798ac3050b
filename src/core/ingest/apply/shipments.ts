import type { Database, Statement } from 'better-sqlite3-multiple-ciphers';

/** Product master data as a shipment line carries it (trace_products, or the line itself). */
export interface ProductInfo {
  ndc: string | null;
  name: string | null;
  strength: string | null;
  dosageForm: string | null;
  container: string | null;
}

/** The transaction data of one shipment (DSCSA TI and TS): from a shipping event, an X12 856 or a T3 sheet. */
export interface ShipmentRow {
  fileId: number;
  eventId: number | null;
  /** The record's hash for transactions read from 856 or T3 (an EPCIS shipment is its event's). */
  hash: Buffer | null;
  seq: number;
  seller: string | null;
  sellerName: string | null;
  buyer: string | null;
  shipFrom: string | null;
  shipTo: string | null;
  shipToName: string | null;
  transactionDate: string | null;
  shipDate: string | null;
  reference: string | null;
  statement: 0 | 1;
  statementText: string | null;
}

/** The shipments, shipment_items and trace_products SQL of an import. */
export class ShipmentStore {
  private readonly byHash: Statement;
  private readonly insertShipment: Statement;
  private readonly insertItem: Statement;
  private readonly upsertProduct: Statement;
  private readonly productInfo: Statement;
  private readonly product: Statement;

  constructor(db: Database) {
    this.byHash = db.prepare('SELECT id FROM shipments WHERE record_hash = ?').pluck();
    this.insertShipment = db.prepare(
      `INSERT INTO shipments (file_id, event_id, record_hash, ledger_seq, seller, seller_name, buyer, ship_from, ship_to, ship_to_name, transaction_date, ship_date, reference, statement, statement_text)
       VALUES (@fileId, @eventId, @hash, @seq, @seller, @sellerName, @buyer, @shipFrom, @shipTo, @shipToName, @transactionDate, @shipDate, @reference, @statement, @statementText)`,
    );
    this.insertItem = db.prepare(
      `INSERT INTO shipment_items (shipment_id, trace_id, gtin, ndc, product_name, strength, dosage_form, container_size, lot, expiry, quantity)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.upsertProduct = db.prepare(
      `INSERT INTO trace_products (gtin, ndc, name, strength, dosage_form, container, manufacturer, ledger_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (gtin) DO UPDATE SET ndc = coalesce(excluded.ndc, ndc), name = coalesce(excluded.name, name), strength = coalesce(excluded.strength, strength),
         dosage_form = coalesce(excluded.dosage_form, dosage_form), container = coalesce(excluded.container, container),
         manufacturer = coalesce(excluded.manufacturer, manufacturer), ledger_seq = excluded.ledger_seq`,
    );
    this.productInfo = db.prepare(
      'SELECT ndc, name, strength, dosage_form AS dosageForm, container FROM trace_products WHERE gtin = ?',
    );
    this.product = db.prepare('SELECT 1 FROM trace_products WHERE gtin = ?').pluck();
  }

  /** Whether a transaction with this record hash was imported before. */
  known(hash: Buffer): boolean {
    return this.byHash.get(hash) !== undefined;
  }

  add(row: ShipmentRow): number {
    return Number(this.insertShipment.run(row).lastInsertRowid);
  }

  addItem(
    shipmentId: number,
    item: {
      traceId: number | null;
      gtin: string | null;
      info: ProductInfo | undefined;
      lot: string | null;
      expiry: string | null;
      quantity: number;
    },
  ): void {
    const info = item.info;
    this.insertItem.run(
      shipmentId,
      item.traceId,
      item.gtin,
      info?.ndc ?? null,
      info?.name ?? null,
      info?.strength ?? null,
      info?.dosageForm ?? null,
      info?.container ?? null,
      item.lot,
      item.expiry,
      item.quantity,
    );
  }

  /** Master data a partner file carries for a GTIN: what it names fills in, nothing is blanked. */
  saveProduct(gtin: string, info: ProductInfo, manufacturer: string | null, seq: number): void {
    this.upsertProduct.run(
      gtin,
      info.ndc,
      info.name,
      info.strength,
      info.dosageForm,
      info.container,
      manufacturer,
      seq,
    );
  }

  productOf(gtin: string): ProductInfo | undefined {
    return this.productInfo.get(gtin) as ProductInfo | undefined;
  }

  hasProduct(gtin: string): boolean {
    return this.product.get(gtin) !== undefined;
  }
}
