import type { DscsaTransaction, Party, TransactionLine } from '../../model/records';
import { parseSegments, X12Error, x12Date, type X12Segment } from './segments';

/*
 * X12 856 Ship Notice/Manifest carrying DSCSA transaction information and statement, as laid out by
 * the HDMA "EDI Guidelines for the 856 Advance Ship Notice to Support Implementation of DSCSA" (2014):
 *   BSN  shipment id and date            HL*S  shipment level: DTM*011 ship date, N1 loops, YNQ statement
 *   N1   SF ship-from, ST ship-to, BY buyer, SE/VN seller, with UL (GLN) identification and N3/N4 address
 *   HL*O order level: PRF purchase order, REF*IV invoice
 *   HL*P pack/tare level: MAN*GM SSCC
 *   HL*I item level: LIN (N4/ND NDC, UK/EN GTIN, LT lot, SN serial), SN1 quantity, PID description,
 *        PO4 container size, DTM*036 expiration, REF*LT lot, REF*SE serial
 * Segments we do not need are ignored; a transaction set that lacks what §581(26) requires is reported
 * by the DSCSA rules, not here.
 */

export interface ShipNoticeResult {
  readonly transactions: { transaction: DscsaTransaction; segment: number }[];
}

interface Hl {
  id: string;
  parent: string;
  level: string;
  segment: number;
}

export function parseShipNotices(text: string): ShipNoticeResult {
  const segments = parseSegments(text);
  const transactions: { transaction: DscsaTransaction; segment: number }[] = [];
  let set: X12Segment[] | null = null;
  for (const s of segments) {
    if (s.id === 'ST') {
      if (s.elements[0] !== '856') {
        throw new X12Error(`transaction set ${s.elements[0] ?? '?'} is not an 856 ship notice`, s.number);
      }
      set = [s];
    } else if (s.id === 'SE') {
      if (set === null) throw new X12Error('SE without ST: the interchange is damaged', s.number);
      transactions.push(...transactionSet(set));
      set = null;
    } else if (set !== null) set.push(s);
  }
  if (set !== null) throw new X12Error('the last transaction set has no SE trailer: the file is truncated');
  if (transactions.length === 0) throw new X12Error('the interchange holds no 856 transaction set');
  return { transactions };
}

function transactionSet(segments: X12Segment[]): { transaction: DscsaTransaction; segment: number }[] {
  const bsn = segments.find((s) => s.id === 'BSN');
  if (bsn === undefined)
    throw new X12Error('the 856 has no BSN segment (shipment id and date)', segments[0]?.number);
  const shipmentId = bsn.elements[1] ?? '';
  const header: {
    shipDate?: string;
    parties: Record<string, Party>;
    statement: { affirmed: boolean; text?: string };
  } = { parties: {}, statement: { affirmed: false } };
  const shipDateBsn = x12Date(bsn.elements[2]);
  const orders: { hl: Hl; po?: string; invoice?: string; poDate?: string; lines: TransactionLine[] }[] = [];
  const hls = new Map<string, Hl>();
  let current: Hl | null = null;
  let party: Party | null = null;
  const sscc = new Map<string, string>();
  let line: TransactionLine | null = null;

  const orderOf = (hl: Hl | null): (typeof orders)[number] | undefined => {
    for (let h: Hl | undefined = hl ?? undefined; h !== undefined; h = hls.get(h.parent)) {
      const o = orders.find((x) => x.hl.id === h!.id);
      if (o !== undefined) return o;
    }
    return orders[orders.length - 1];
  };
  const packSscc = (hl: Hl | null): string | undefined => {
    for (let h: Hl | undefined = hl ?? undefined; h !== undefined; h = hls.get(h.parent)) {
      const v = sscc.get(h.id);
      if (v !== undefined) return v;
    }
    return undefined;
  };

  for (const s of segments) {
    const e = s.elements;
    switch (s.id) {
      case 'HL': {
        current = { id: e[0] ?? '', parent: e[1] ?? '', level: e[2] ?? '', segment: s.number };
        hls.set(current.id, current);
        party = null;
        line = null;
        if (current.level === 'O') orders.push({ hl: current, lines: [] });
        if (current.level === 'I') {
          line = { quantity: 0 };
          const p = packSscc(current);
          if (p !== undefined) line.sscc = p;
          const order = orderOf(current);
          if (order === undefined) orders.push({ hl: current, lines: [line] });
          else order.lines.push(line);
        }
        break;
      }
      case 'DTM':
        if (e[0] === '011' && current?.level !== 'I') header.shipDate = x12Date(e[1]);
        if (e[0] === '036' && line !== null) {
          const d = x12Date(e[1]);
          if (d !== undefined) line.expiry = d;
        }
        break;
      case 'N1': {
        party = { ...(e[1] ? { name: e[1] } : {}) };
        if ((e[2] === 'UL' || e[2] === '1L') && e[3]) party.gln = e[3];
        header.parties[e[0] ?? ''] = party;
        break;
      }
      case 'N3':
        if (party !== null) party.address = [e[0], e[1]].filter(Boolean).join(', ');
        break;
      case 'N4':
        if (party !== null)
          party.address = [party.address, [e[0], e[1], e[2]].filter(Boolean).join(' '), e[3]]
            .filter(Boolean)
            .join(', ');
        break;
      case 'YNQ': {
        // HDMA: the transaction statement, Y = affirmed, with the statement text in the message elements.
        const affirmed = e[1] === 'Y' || e[0] === 'Y';
        const text = e
          .slice(2)
          .filter((x) => x.length > 20)
          .sort((a, b) => b.length - a.length)[0];
        header.statement = { affirmed, ...(text !== undefined ? { text } : {}) };
        break;
      }
      case 'PRF': {
        const order = orderOf(current);
        if (order !== undefined) {
          if (e[0]) order.po = e[0];
          const d = x12Date(e[3]);
          if (d !== undefined) order.poDate = d;
        }
        break;
      }
      case 'REF': {
        if (e[0] === 'IV') {
          const order = orderOf(current);
          if (order !== undefined && e[1]) order.invoice = e[1];
        } else if (e[0] === 'LT' && line !== null && e[1]) line.lot = e[1];
        else if (e[0] === 'SE' && line !== null && e[1]) (line.serials ??= []).push(e[1]);
        break;
      }
      case 'MAN':
        if ((e[0] === 'GM' || e[0] === 'AA') && e[1] && current !== null) {
          // MAN*GM carries the SSCC with its AI (00) in front: 20 digits, or "(00)" and 18.
          const raw = e[1].replace(/^\(00\)/, '');
          sscc.set(current.id, raw.length === 20 && raw.startsWith('00') ? raw.slice(2) : raw);
          if (line !== null) line.sscc = sscc.get(current.id)!;
        }
        break;
      case 'LIN':
        if (line !== null) {
          for (let i = 1; i + 1 < e.length; i += 2) {
            const q = e[i];
            const v = e[i + 1];
            if (!v) continue;
            if (q === 'N4' || q === 'ND') line.ndc = v;
            else if (q === 'UK' || q === 'EN' || q === 'UP') line.gtin = v.padStart(14, '0');
            else if (q === 'LT') line.lot = v;
            else if (q === 'SN') (line.serials ??= []).push(v);
          }
        }
        break;
      case 'SN1':
        if (line !== null) line.quantity = Math.round(Number(e[1] ?? '0')) || 0;
        break;
      case 'PID':
        if (line !== null && e[4]) line.name = e[4];
        break;
      case 'PO4':
        if (line !== null && (e[1] || e[2])) line.containerSize = [e[1], e[2]].filter(Boolean).join(' ');
        break;
      default:
        break;
    }
  }
  const p = header.parties;
  const seller = p.SE ?? p.VN ?? p.SF ?? {};
  const buyer = p.BY ?? p.ST ?? {};
  return orders.map((order, i) => {
    const transaction: DscsaTransaction = {
      reference: orders.length > 1 ? `${shipmentId}/${i + 1}` : shipmentId,
      ...(order.po !== undefined ? { po: order.po } : {}),
      ...(order.invoice !== undefined ? { invoice: order.invoice } : {}),
      ...((header.shipDate ?? shipDateBsn) ? { transactionDate: (header.shipDate ?? shipDateBsn)! } : {}),
      ...((header.shipDate ?? shipDateBsn) ? { shipDate: (header.shipDate ?? shipDateBsn)! } : {}),
      seller,
      buyer,
      ...(p.SF ? { shipFrom: p.SF } : {}),
      ...(p.ST ? { shipTo: p.ST } : {}),
      statement: header.statement,
      lines: order.lines,
    };
    return { transaction, segment: order.hl.segment };
  });
}
