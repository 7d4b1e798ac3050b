import type { Contract, OutputOf } from '../../../core/api';
import { formatDateTime } from '../../forms/format';

type Event = OutputOf<Contract['trace.lookup']>['history'][number];

/** CBV vocabulary URNs shown by their last word (urn:epcglobal:cbv:bizstep:shipping → shipping). */
const word = (v: string | null) => (v ? (v.split(/[:/#]/).pop() ?? v) : '—');

/** The events in the order they happened, each with the file and ledger record it came from. */
export function History({ history }: { history: readonly Event[] }) {
  return (
    <table className="table history" data-testid="trace-history">
      <caption className="visually-hidden">Events, oldest first</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">What</th>
          <th scope="col">Disposition</th>
          <th scope="col">Where</th>
          <th scope="col">From → to</th>
          <th scope="col">How it concerns this item</th>
          <th scope="col">Source</th>
        </tr>
      </thead>
      <tbody>
        {history.map((e) => (
          <tr
            key={e.id}
            className={e.declaredError ? 'history-error' : e.pending ? 'history-pending' : undefined}
          >
            <td>{formatDateTime(e.time, 'numeric')}</td>
            <td>
              {word(e.bizStep)}{' '}
              <span className="field-hint">
                ({e.type}
                {e.action ? ` ${e.action}` : ''})
              </span>
              {e.declaredError ? (
                <div className="result-bad">Declared in error: {e.declaredError}</div>
              ) : null}
              {e.pending ? <div className="field-hint">Pending: waiting for an earlier event</div> : null}
            </td>
            <td>{word(e.disposition)}</td>
            <td className="mono">{e.location ?? '—'}</td>
            <td className="mono">
              {e.source ?? '—'} → {e.destination ?? '—'}
            </td>
            <td>{e.role}</td>
            <td>
              {e.file}
              <div className="field-hint">ledger record {e.ledgerSeq}</div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
