import type { Contract, OutputOf } from '../../../core/api';
import { readableDate } from '../receiving/kinds';
import { traceHref } from './route';

type Ndc = NonNullable<OutputOf<Contract['trace.lookup']>['ndc']>;

/** A URN of a business transaction (urn:epcglobal:cbv:bt:GLN:ASN-1) shown by its document number. */
const documentOf = (reference: string | null) =>
  reference === null ? '—' : reference.replace(/urn:epcglobal:cbv:bt:\d{13}:/g, '');

/** What an NDC names: each product (any packaging level), its lots, and the shipments of each lot. */
export function NdcResult({ ndc, query }: { ndc: Ndc; query: string }) {
  const layouts = ndc.candidates.map((c) => c.ndc10).join(', ');
  return (
    <div className="trace-result" data-testid="trace-ndc">
      <div className="field-hint">
        NDC {query}
        {ndc.candidates.length > 1 ? `: tried every layout it can have (${layouts})` : ''}
      </div>
      {ndc.products.map((p) => (
        <section key={p.gtin} className="ndc-product" aria-label={p.name ?? p.gtin}>
          <h2>
            {[p.name, p.strength, p.dosageForm].filter(Boolean).join(' ') ||
              'Product without a name in the data'}
          </h2>
          <p className="field-hint">
            NDC <span className="mono">{p.ndc ?? '—'}</span> · GTIN <span className="mono">{p.gtin}</span>
          </p>
          <table className="table" data-testid="ndc-lots">
            <caption className="visually-hidden">Lots of this product and the shipments of each</caption>
            <thead>
              <tr>
                <th scope="col">Lot</th>
                <th scope="col">Expiry</th>
                <th scope="col">Serials known</th>
                <th scope="col">Shipments</th>
              </tr>
            </thead>
            <tbody>
              {p.lots.length === 0 ? (
                <tr>
                  <td colSpan={4} className="table-empty">
                    No lot of this product is in the records.
                  </td>
                </tr>
              ) : (
                p.lots.map((l) => (
                  <tr key={l.lot} data-testid="ndc-lot">
                    <td>
                      <a className="mono" href={traceHref(`${p.gtin} + ${l.lot}`)}>
                        {l.lot}
                      </a>
                    </td>
                    <td className="nowrap">{readableDate(l.expiry)}</td>
                    <td>{l.serials.toLocaleString()}</td>
                    <td>
                      {l.shipments.length === 0
                        ? '—'
                        : l.shipments.map((s) => (
                            <div key={s.id}>
                              <span className="mono">{documentOf(s.reference)}</span>
                              {s.seller ? ` from ${s.seller}` : ''}
                              {s.date ? `, ${readableDate(s.date)}` : ''} ({s.quantity})
                            </div>
                          ))}
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}
