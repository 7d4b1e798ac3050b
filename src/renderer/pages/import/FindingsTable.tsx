import type { Contract, OutputOf } from '../../../core/api';

export type Finding = OutputOf<Contract['quarantine.show']>['reasons'][number];

const SHOWN = 200;

/** What a person does about each rule, by rule id; the rule id itself is detail underneath. */
const FIX: Record<string, string> = {
  'authorized-trading-partner':
    'Add the partner (with this GLN) under Partners and mark it authorized after checking its licence, then reprocess.',
  'decommissioned-activity':
    'Do not dispense this product: the manufacturer took the serial out of commerce. Quarantine it as suspect under Receiving.',
  'double-commissioning':
    'Ask the partner: a serial was assigned twice. Keep the product aside until they answer.',
  'lifecycle-transition': 'Ask the partner for the missing or corrected event, import it, then reprocess.',
  'aggregation-not-in-parent': 'Ask the partner for corrected packing data (which case holds which package).',
  'aggregation-two-parents':
    'Ask the partner for corrected packing data: one package cannot be in two cases.',
  'initial-packing': 'Ask the partner for the packing event of this case or tote.',
  'pending-expired': 'The earlier event it waited for never came: ask the partner for it.',
  'dscsa-transaction-information':
    'Ask the seller for complete transaction information (product, NDC, lot, quantity, dates, parties), then reprocess.',
  'dscsa-transaction-statement': 'Ask the seller for the transaction statement, then reprocess.',
  'dscsa-transaction': 'Ask the seller for corrected transaction data, then reprocess.',
  'ship-to': 'This shipment was addressed elsewhere: tell the seller.',
  'check-digit': 'An identifier is mistyped in the file: ask the partner for a corrected file.',
  'bad-identifier': 'An identifier is malformed in the file: ask the partner for a corrected file.',
  'epcis-schema': 'The file is not valid EPCIS: ask the partner to send it again from their system.',
  'epcis-xml': 'The file is not readable XML: ask the partner to send it again.',
  'epcis-json': 'The file is not readable JSON: ask the partner to send it again.',
  'file-format': 'Custodia does not read this kind of file: ask for EPCIS, an X12 856 or a T3 sheet.',
  'csv-mapping': 'Fix the partner’s column mapping under CSV column mappings, then reprocess.',
  'csv-fsma': 'Fix the sheet or its column mapping, then reprocess.',
  'fsma-kde': 'Ask the supplier for the missing key data element, then reprocess.',
  'fsma-record': 'Ask the supplier for a corrected record, then reprocess.',
  'first-land-based-receiving': 'Ask the supplier for the first land-based receiver’s data, then reprocess.',
};

/** Each rule in a few plain words, for lists ("Why" column of the quarantine). */
const RULE_WORDS: Record<string, string> = {
  suspect: 'possible suspect product',
  'authorized-trading-partner': 'seller not an authorized partner',
  'decommissioned-activity': 'serial taken out of commerce',
  'double-commissioning': 'serial assigned twice',
  'lifecycle-transition': 'events out of order',
  'aggregation-not-in-parent': 'packing data does not add up',
  'aggregation-two-parents': 'package in two cases at once',
  'aggregation-child-missing': 'packed package never labelled',
  'initial-packing': 'case packing missing',
  'pending-expired': 'an earlier event never came',
  'dscsa-transaction-information': 'transaction information incomplete',
  'dscsa-transaction-statement': 'transaction statement missing',
  'dscsa-product-master-data': 'drug name, strength or NDC missing',
  'check-digit': 'mistyped identifier',
  'bad-identifier': 'malformed identifier',
  'epcis-schema': 'not valid EPCIS',
  'file-format': 'file type not read',
  'csv-mapping': 'column mapping does not fit',
  'fsma-kde': 'FSMA key data missing',
};

export function ruleWords(rule: string): string {
  return RULE_WORDS[rule] ?? rule.replace(/-/g, ' ');
}

function fixFor(rule: string): string | undefined {
  return FIX[rule] ?? Object.entries(FIX).find(([r]) => rule.startsWith(r))?.[1];
}

/**
 * Why a file or event was rejected, plain reason and fix first ("record 3 of this file: … What to
 * do: …"); the rule id, the position in the file (epcList/2, segment 15) and the field stay
 * underneath for the person who writes to the partner.
 */
export function FindingsTable({ reasons, caption }: { reasons: readonly Finding[]; caption: string }) {
  if (reasons.length === 0) return null;
  const shown = reasons.slice(0, SHOWN);
  return (
    <div className="findings">
      <table className="table findings-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">What is wrong, and what to do</th>
            <th scope="col">Where in the file</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((reason, i) => {
            const fix = fixFor(reason.rule);
            return (
              <tr key={i} data-testid="finding" className={reason.suspect ? 'finding-suspect' : undefined}>
                <td>
                  {reason.suspect ? <span className="pill pill-bad finding-flag">suspect</span> : null}{' '}
                  <span data-testid="finding-reason">{reason.message}</span>
                  {fix ? (
                    <div className="finding-fix" data-testid="finding-fix">
                      <strong>What to do: </strong>
                      {fix}
                      <AddPartnerLink reason={reason} />
                    </div>
                  ) : null}
                  <div className="field-hint">
                    Rule <span className="mono">{reason.rule}</span>
                  </div>
                </td>
                <td>
                  {reason.record === null ? 'The whole file' : `Record ${reason.record + 1} of this file`}
                  {reason.position || reason.field ? (
                    <div className="field-hint mono">
                      {[reason.position, reason.field].filter(Boolean).join(', ')}
                    </div>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {reasons.length > SHOWN ? (
        <p className="field-hint">
          {SHOWN} of {reasons.length.toLocaleString()} reasons shown; the quarantine item keeps all of them.
        </p>
      ) : null}
    </div>
  );
}

/**
 * A file refused for a partner Custodia does not know: "Add this partner…" opens the Partners
 * page's add form filled with the GLN (and the name, when the reason gives one) from the file.
 */
function AddPartnerLink({ reason }: { reason: Finding }) {
  if (reason.rule !== 'authorized-trading-partner') return null;
  // The rule names the seller as the file did: "the seller (GLN 0823…)" or "the seller Summit … is not".
  const gln = /\b(\d{13})\b/.exec(reason.message)?.[1];
  const named = /the seller ([^(]+?) (?:\(GLN|is not)/.exec(reason.message)?.[1]?.trim();
  const name = named !== undefined && !/^\d+$/.test(named) ? named : undefined;
  if (gln === undefined && name === undefined) return null;
  const query = new URLSearchParams({
    ...(gln !== undefined ? { gln } : {}),
    ...(name !== undefined ? { name } : {}),
  });
  return (
    <>
      {' '}
      <a href={`#/partners/new?${query.toString()}`} data-testid="add-partner">
        Add this partner…
      </a>
    </>
  );
}
