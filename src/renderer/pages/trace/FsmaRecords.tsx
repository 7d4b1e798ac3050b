import type { Contract, OutputOf } from '../../../core/api';
import { traceHref } from './route';

type Fsma = NonNullable<OutputOf<Contract['trace.lookup']>['fsma']>;

/** FSMA 204 key data elements per critical tracking event, one step back and forward (21 CFR 1.1325–1.1350). */
export function FsmaRecords({ fsma }: { fsma: Fsma }) {
  return (
    <section aria-labelledby="fsma-title" data-testid="fsma-records">
      <h3 id="fsma-title">FSMA 204 critical tracking events</h3>
      {fsma.records.map((r) => (
        <details key={r.id} className="detail fsma-record" open={fsma.records.length <= 3}>
          <summary>
            {r.cte.replace(/-/g, ' ')} · {r.date ?? 'no date'} · {r.product ?? ''} {r.quantity ?? ''}
            {r.fromName || r.toName ? ` · ${r.fromName ?? '?'} → ${r.toName ?? '?'}` : ''}
          </summary>
          <dl className="facts">
            <dt>Traceability lot code</dt>
            <dd className="mono">{r.tlc}</dd>
            {Object.entries(r.kdes).map(([k, v]) => (
              <div key={k} className="facts-row">
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
        </details>
      ))}
      <div className="fsma-steps">
        <div>
          <h4>One step back (inputs)</h4>
          <TlcList tlcs={fsma.back} />
        </div>
        <div>
          <h4>One step forward</h4>
          <TlcList tlcs={fsma.forward} />
        </div>
      </div>
    </section>
  );
}

function TlcList({ tlcs }: { tlcs: readonly string[] }) {
  if (tlcs.length === 0) return <p className="field-hint">None recorded.</p>;
  return (
    <ul>
      {tlcs.map((t) => (
        <li key={t}>
          <a className="mono" href={traceHref(t)}>
            {t}
          </a>
        </li>
      ))}
    </ul>
  );
}
