import { useEffect, useState } from 'react';
import type { Contract, OutputOf } from '../../core/api';
import { asClientError, type ClientError } from '../api/client';
import { useClient } from '../api/context';
import { showControls } from '../forms/format';
import { downloadFile } from '../lib/download';
import { Button } from '../ui/Button';
import { ErrorNotice, Notice } from '../ui/Notice';
import { Page } from './Page';
import { readableDate } from './receiving/kinds';
import { ContentsTree } from './trace/ContentsTree';
import { FsmaRecords } from './trace/FsmaRecords';
import { History } from './trace/History';
import { NdcResult } from './trace/NdcResult';
import { dispositionWords, placeNames, type PlaceName } from './trace/words';
import { queryFromHash, traceHref } from './trace/route';
import './trace.css';

type Result = OutputOf<Contract['trace.lookup']>;

const KIND_LABEL: Record<Result['kind'], string> = {
  serial: 'Serialized package or case',
  sscc: 'Logistic unit (SSCC)',
  lot: 'GTIN and lot',
  tlc: 'FSMA 204 traceability lot code',
  ndc: 'NDC',
  unknown: 'Not recognized',
};

/**
 * Everything known about one identifier: its events in order, what it sits in and holds, who
 * handled it, and the transaction information and statement received with it.
 */
export function Trace() {
  const client = useClient();
  const [query, setQuery] = useState(queryFromHash);
  const [draft, setDraft] = useState(query);
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const onHash = () => {
      const q = queryFromHash();
      setQuery(q);
      setDraft(q);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    if (query.trim() === '') {
      setResult(null);
      return;
    }
    let live = true;
    setBusy(true);
    setError(null);
    client
      .call('trace.lookup', { query })
      .then((r) => live && setResult(r))
      .catch((e: unknown) => live && setError(asClientError(e)))
      .finally(() => live && setBusy(false));
    return () => {
      live = false;
    };
  }, [client, query]);

  const exportAs = async (format: 'json' | 'csv') => {
    try {
      const file = await client.call('trace.export', { query, format });
      downloadFile(file.filename, file.content, file.mediaType);
    } catch (e) {
      setError(asClientError(e));
    }
  };

  return (
    <Page
      title="Trace"
      intro="Scan or type a package's barcode, a tote's SSCC, an NDC (e.g. 0001-0789-30, with or without hyphens), a GTIN and lot (e.g. 00300010123455 + A123), or an FSMA 204 traceability lot code."
    >
      <form
        className="trace-search"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          const q = draft.replace(/[\r\n]+$/, '').trim();
          if (q === '') return;
          // The address carries the query, so Back returns to the previous trace.
          window.location.hash = traceHref(q);
        }}
      >
        <div className="field trace-field">
          <label htmlFor="trace-query">
            Package barcode, SSCC, NDC, GTIN + lot, or traceability lot code
          </label>
          <input
            id="trace-query"
            data-testid="trace-input"
            value={draft}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => setDraft(e.target.value)}
          />
        </div>
        <Button variant="primary" type="submit" disabled={busy || draft.trim() === ''}>
          Trace
        </Button>
      </form>
      {error ? <ErrorNotice error={error} /> : null}
      {busy ? <p role="status">Tracing…</p> : null}
      {result && !busy ? <TraceResult result={result} onExport={(f) => void exportAs(f)} /> : null}
    </Page>
  );
}

function TraceResult({
  result: r,
  onExport,
}: {
  result: Result;
  onExport: (format: 'json' | 'csv') => void;
}) {
  if (!r.found) {
    return (
      <Notice kind="warn" title="Nothing recorded for this identifier" testId="trace-not-found">
        {r.kind === 'unknown'
          ? 'It was not recognized as a serial, SSCC, NDC, GTIN + lot or traceability lot code.'
          : r.kind === 'ndc'
            ? `No product with this NDC (${r.ndc?.candidates.map((c) => c.ndc10).join(', ') ?? r.query}) is in any partner file received, nor a traceability lot code of that name.`
            : `It reads as a ${KIND_LABEL[r.kind].toLowerCase()} (${showControls(r.identifier)}), but no partner file received mentions it, at package or at lot level. Ask the seller for its transaction information.`}
      </Notice>
    );
  }
  if (r.kind === 'ndc' && r.ndc) return <NdcResult ndc={r.ndc} query={r.query} />;
  const place = placeNames(r.places);
  const title = r.product
    ? [r.product.name, r.product.strength, r.product.dosageForm].filter(Boolean).join(' ')
    : '';
  return (
    <div className="trace-result" data-testid="trace-result">
      <div className="trace-head">
        <div>
          <div className="field-hint">{KIND_LABEL[r.kind]}</div>
          <h2 className="trace-title" data-testid="trace-title">
            {title || KIND_LABEL[r.kind]}
          </h2>
          <div className="field-hint mono trace-id">{r.identifier}</div>
        </div>
        <div className="toolbar">
          <Button onClick={() => onExport('csv')}>Export history (CSV)</Button>
          <Button onClick={() => onExport('json')}>Export everything (JSON)</Button>
        </div>
      </div>
      {r.lotLevelOnly ? (
        <Notice kind="warn" title="Lot-level information only" testId="trace-lot-level">
          No partner file names this package by its serial. What follows is what the records hold for its lot
          ({r.product?.lot ?? '—'}): lot-level transaction information, not the package-level transaction
          information DSCSA requires once its exemptions end (FD&C Act §582(g)). Ask the seller for
          package-level data if you need to follow this one package.
        </Notice>
      ) : null}
      {r.state?.suspect || r.state?.quarantined ? (
        <Notice kind="error" title={r.state.suspect ? 'Suspect product' : 'In quarantine'}>
          {r.state.quarantined ? 'It is quarantined; do not dispense it. ' : ''}
          See <a href="#/receiving/investigations">Suspect product</a> under Receiving.
        </Notice>
      ) : null}
      <dl className="facts trace-facts">
        {r.product ? (
          <>
            <dt>Product</dt>
            <dd>
              {[r.product.name, r.product.strength, r.product.dosageForm].filter(Boolean).join(' ') || '—'}
            </dd>
            <dt>NDC</dt>
            <dd className="mono">{r.product.ndc ?? '—'}</dd>
            {r.product.lot ? (
              <>
                <dt>Lot</dt>
                <dd className="mono">{r.product.lot}</dd>
              </>
            ) : null}
          </>
        ) : null}
        {r.serial && !r.lotLevelOnly ? (
          <>
            <dt>Serial</dt>
            <dd className="mono" data-testid="trace-serial">
              {r.serial}
            </dd>
          </>
        ) : null}
        {r.product ? (
          <>
            <dt>GTIN</dt>
            <dd className="mono">{r.product.gtin}</dd>
          </>
        ) : null}
        {r.state ? (
          <>
            <dt>State</dt>
            <dd data-testid="trace-state">
              {STATE_WORDS[r.state.state] ?? r.state.state}
              {r.state.disposition ? ` (${dispositionWords(r.state.disposition)})` : ''}
            </dd>
            <dt>Owner</dt>
            <dd>
              <Place place={place(r.state.owner)} />
            </dd>
            <dt>Location</dt>
            <dd>
              <Place place={place(r.state.location)} />
            </dd>
            {r.state.expiry ? (
              <>
                <dt>Expiry</dt>
                <dd>{readableDate(r.state.expiry)}</dd>
              </>
            ) : null}
          </>
        ) : null}
        {r.lot ? (
          <>
            <dt>Serials in this lot</dt>
            <dd>{r.lot.serials.toLocaleString()}</dd>
          </>
        ) : null}
      </dl>

      {r.containers.length > 0 ? (
        <section aria-labelledby="containers-title">
          <h3 id="containers-title">Packed in</h3>
          <ol className="containers" data-testid="containers">
            {r.containers.map((c) => (
              <li key={c}>
                <a className="mono" href={traceHref(c)}>
                  {c}
                </a>
              </li>
            ))}
          </ol>
        </section>
      ) : null}

      {r.contents.length > 0 ? (
        <section aria-labelledby="contents-title">
          <h3 id="contents-title">Contents</h3>
          <ContentsTree nodes={r.contents} truncated={r.contentsTruncated} />
        </section>
      ) : null}

      {r.history.length > 0 ? (
        <section aria-labelledby="history-title">
          <h3 id="history-title">History ({r.history.length} events, oldest first)</h3>
          <History history={r.history} place={place} />
        </section>
      ) : null}

      {r.partners.length > 0 ? (
        <section aria-labelledby="partners-title">
          <h3 id="partners-title">Trading partners</h3>
          <table className="table" data-testid="trace-partners">
            <caption className="visually-hidden">Trading partners in this history</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">GLN</th>
                <th scope="col">Role</th>
                <th scope="col">Authorized</th>
              </tr>
            </thead>
            <tbody>
              {r.partners.map((p) => (
                <tr key={p.gln}>
                  <td>{p.name ?? 'Not a saved partner'}</td>
                  <td className="mono">{p.gln}</td>
                  <td>{p.role ?? '—'}</td>
                  <td>{p.authorized === null ? 'unknown' : p.authorized ? 'Yes' : 'No'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}

      {r.transactions.length > 0 ? (
        <section aria-labelledby="transactions-title">
          <h3 id="transactions-title">Transaction information and statement received</h3>
          {r.transactions.map((t) => (
            <dl className="facts transaction" key={t.id} data-testid="trace-transaction">
              <dt>Seller</dt>
              <dd>
                <Place place={{ ...place(t.seller), name: t.sellerName ?? place(t.seller).name }} />
              </dd>
              <dt>Buyer</dt>
              <dd>
                <Place place={place(t.buyer)} />
              </dd>
              <dt>Ship to</dt>
              <dd>
                <Place place={{ ...place(t.shipTo), name: t.shipToName ?? place(t.shipTo).name }} />
              </dd>
              <dt>Transaction date</dt>
              <dd>{readableDate(t.transactionDate)}</dd>
              <dt>Ship date</dt>
              <dd>{readableDate(t.shipDate)}</dd>
              <dt>ASN or invoice</dt>
              <dd className="mono">{t.reference?.replace(/urn:epcglobal:cbv:bt:\d{13}:/g, '') ?? '—'}</dd>
              <dt>Transaction statement</dt>
              <dd>
                {t.statement ? (
                  (t.statementText ?? 'Affirmed')
                ) : (
                  <strong className="result-bad">Not received</strong>
                )}
              </dd>
              <dt>Receiving</dt>
              <dd>{t.status}</dd>
            </dl>
          ))}
        </section>
      ) : null}

      {r.fsma ? <FsmaRecords fsma={r.fsma} /> : null}
    </div>
  );
}

/** Serial states (rules/lifecycle) as a pharmacist says them. */
const STATE_WORDS: Record<string, string> = {
  commissioned: 'Labelled by the manufacturer',
  aggregated: 'Packed in a case or tote',
  shipped: 'Shipped',
  received: 'Received',
  dispensed: 'Dispensed',
  decommissioned: 'Decommissioned',
  destroyed: 'Destroyed',
};

/** A party or location: its name, with the GLN beside it, smaller. */
function Place({ place }: { place: ReturnType<PlaceName> }) {
  if (place.raw === null) return <>—</>;
  return (
    <span data-testid="place">
      {place.name ?? (place.gln !== null ? 'Not a saved partner' : '')}{' '}
      <span className="field-hint mono place-gln">{place.gln ?? place.raw}</span>
    </span>
  );
}
