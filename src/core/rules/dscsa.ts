import type { EpcisEvent } from '../epcis/model';
import type { DscsaTransaction } from '../model/records';
import { cbvTerm, glnOf, partyOf } from '../model/vocabulary';
import { parseGln, parseGtin, parseSscc } from '../identifiers';
import { finding, type RuleFinding } from '../model/findings';

/** Facts the DSCSA rules need about this installation and file. */
export interface DscsaContext {
  /** GLNs of this pharmacy's own locations (trading partners with role "self"). */
  readonly ownGlns: ReadonlySet<string>;
  /** GLN -> authorized (FD&C Act §582(d)(3)) for every known trading partner. */
  readonly partnerGlns: ReadonlyMap<string, boolean>;
  /** Lower-cased partner names -> authorized, for T3 sheets that carry names but no GLN. */
  readonly partnerNames: ReadonlyMap<string, boolean>;
  readonly statement: { affirmed: boolean } | undefined;
}

/**
 * A change of ownership: source and destination owning parties differ (CBV 2.0 §7.5 source/destination
 * types), or the shipment names a purchase order or invoice.
 */
export function isOwnershipTransfer(event: EpcisEvent): boolean {
  if (cbvTerm(event.bizStep) !== 'shipping') return false;
  const from = partyOf(event, 'source', 'owning_party');
  const to = partyOf(event, 'destination', 'owning_party');
  if (from !== undefined && to !== undefined) return from !== to;
  return (event.bizTransactionList ?? []).some((b) => ['po', 'inv'].includes(cbvTerm(b.type) ?? ''));
}

export function shippingFindings(
  event: EpcisEvent,
  index: number,
  position: string,
  drug: boolean,
  ctx: DscsaContext,
): RuleFinding[] {
  const out: RuleFinding[] = [];
  if (!drug || !isOwnershipTransfer(event)) return out;
  if (ctx.statement?.affirmed !== true) {
    out.push(
      finding(
        'dscsa-transaction-statement',
        'this shipping event transfers ownership of a drug, but the file carries no affirmed DSCSA transaction statement (gs1ushc:dscsaTransactionStatement). Ask the seller to resend the file with it.',
        index,
        { position, field: 'EPCISHeader' },
      ),
    );
  }
  if (ctx.ownGlns.size === 0) {
    out.push(noOwnGln(index, { position, field: 'destinationList' }));
    return out;
  }
  const toUs = [partyOf(event, 'destination', 'owning_party'), partyOf(event, 'destination', 'location')]
    .map(glnOf)
    .some((g) => g !== undefined && ctx.ownGlns.has(g));
  if (toUs) {
    const seller =
      glnOf(partyOf(event, 'source', 'owning_party')) ?? glnOf(partyOf(event, 'source', 'location'));
    if (seller === undefined || ctx.partnerGlns.get(seller) !== true) {
      out.push(
        finding(
          'authorized-trading-partner',
          `the seller${seller !== undefined ? ` (GLN ${seller})` : ''} is not a trading partner recorded as authorized. Check its licence or registration, add it under Partners, then reprocess this file.`,
          index,
          { position, field: 'sourceList' },
        ),
      );
    }
  }
  return out;
}

/** §581(26) transaction information and §581(27) statement of a T3 sheet or X12 856 transaction. */
export function transactionFindings(
  t: DscsaTransaction,
  index: number,
  position: string,
  ctx: DscsaContext,
): RuleFinding[] {
  const out: RuleFinding[] = [];
  const at = { position };
  const missing = (what: string, cite: string, field: string) =>
    out.push(
      finding('dscsa-transaction-information', `${what} is missing (FD&C Act §581(26)${cite})`, index, {
        ...at,
        field,
      }),
    );
  if (t.transactionDate === undefined) missing('the transaction date', '(G)', 'transactionDate');
  if (t.seller.name === undefined && t.seller.gln === undefined)
    missing('the seller (business name and address)', '(I)', 'seller');
  if (t.buyer.name === undefined && t.buyer.gln === undefined)
    missing('the buyer (business name and address)', '(J)', 'buyer');
  if (t.lines.length === 0) missing('every product line', '', 'lines');
  t.lines.forEach((line, i) => {
    const f = `lines/${i}`;
    if (line.name === undefined && line.gtin === undefined)
      missing(`line ${i + 1}: the product name`, '(A)', `${f}/name`);
    if (line.ndc === undefined && line.gtin === undefined)
      missing(`line ${i + 1}: the NDC`, '(C)', `${f}/ndc`);
    if (line.lot === undefined) missing(`line ${i + 1}: the lot number`, '(F)', `${f}/lot`);
    if (line.quantity <= 0 && (line.serials?.length ?? 0) === 0)
      missing(`line ${i + 1}: the number of containers`, '(E)', `${f}/quantity`);
    if (line.gtin !== undefined && !parseGtin(line.gtin).ok) {
      out.push(
        finding('check-digit', `line ${i + 1}: GTIN ${line.gtin} ${describe(parseGtin(line.gtin))}`, index, {
          ...at,
          field: `${f}/gtin`,
        }),
      );
    }
    if (line.sscc !== undefined && !parseSscc(line.sscc).ok) {
      out.push(
        finding('check-digit', `line ${i + 1}: the SSCC ${describe(parseSscc(line.sscc))}`, index, {
          ...at,
          field: `${f}/sscc`,
        }),
      );
    }
  });
  for (const [name, party] of [
    ['seller', t.seller],
    ['buyer', t.buyer],
    ['ship-to', t.shipTo],
  ] as const) {
    if (party?.gln !== undefined && !parseGln(party.gln).ok) {
      out.push(
        finding('check-digit', `the ${name} GLN ${party.gln} ${describe(parseGln(party.gln))}`, index, {
          ...at,
          field: name,
        }),
      );
    }
  }
  if (!t.statement.affirmed) {
    out.push(
      finding(
        'dscsa-transaction-statement',
        'the transaction statement is missing or not affirmed (FD&C Act §581(27)); ask the seller for it before accepting the product',
        index,
        { ...at, field: 'statement' },
      ),
    );
  }
  if (ctx.ownGlns.size === 0) {
    out.push(noOwnGln(index, { ...at, field: 'buyer' }));
    return out;
  }
  const toUs = [t.buyer.gln, t.shipTo?.gln].some((g) => g !== undefined && ctx.ownGlns.has(g));
  if (toUs) {
    const authorized =
      (t.seller.gln !== undefined && ctx.partnerGlns.get(t.seller.gln) === true) ||
      (t.seller.name !== undefined && ctx.partnerNames.get(t.seller.name.toLowerCase()) === true);
    if (!authorized) {
      out.push(
        finding(
          'authorized-trading-partner',
          `the seller ${t.seller.name ?? t.seller.gln ?? ''} is not a trading partner recorded as authorized; add it under Partners, then reprocess`,
          index,
          { ...at, field: 'seller' },
        ),
      );
    }
  }
  return out;
}

/**
 * A ledger that knows none of its own GLNs cannot tell a shipment to us from one to someone else, so
 * the authorized-trading-partner check (FD&C Act §582(d)(3)) would never fire: a drug's change of
 * ownership is held for review until the pharmacy's registrant (with its GLN) is set up (issue 18).
 */
function noOwnGln(index: number, at: { position: string; field: string }): RuleFinding {
  return finding(
    'authorized-trading-partner',
    'this ledger has no GLN of its own yet, so it cannot check that a drug shipment comes from an authorized trading partner (FD&C Act §582(d)(3)); held for review. Set up the pharmacy (its registrant and GLN) first, then reprocess this file.',
    index,
    at,
  );
}

function describe(r: { ok: true } | { ok: false; error: { message: string } }): string {
  return r.ok ? 'is valid' : `is not valid: ${r.error.message}`;
}
