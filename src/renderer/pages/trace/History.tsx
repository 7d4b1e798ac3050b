import type { Contract, OutputOf } from '../../../core/api';
import { formatDateTime } from '../../forms/format';
import { describeEvent, dispositionWords, type PlaceName } from './words';

type Event = OutputOf<Contract['trace.lookup']>['history'][number];

/**
 * The events in the order they happened, each said in plain words with the state it left the
 * product in; the EPCIS event as received (type, action, CBV words, GLNs, file, ledger record) is
 * one click away under each line.
 */
export function History({ history, place }: { history: readonly Event[]; place: PlaceName }) {
  return (
    <table className="table history" data-testid="trace-history">
      <caption className="visually-hidden">Events, oldest first</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">What happened</th>
          <th scope="col">State after</th>
        </tr>
      </thead>
      <tbody>
        {history.map((e) => (
          <tr
            key={`${e.id}-${e.role}`}
            className={e.declaredError ? 'history-error' : e.pending ? 'history-pending' : undefined}
          >
            <td className="nowrap">{formatDateTime(e.time)}</td>
            <td>
              <span data-testid="history-words">{describeEvent(e, place)}</span>
              {e.declaredError ? (
                <div className="result-bad">Declared in error: {e.declaredError}</div>
              ) : null}
              {e.pending ? <div className="field-hint">Pending: waiting for an earlier event</div> : null}
              <details className="raw-event">
                <summary>Raw event</summary>
                <dl className="facts">
                  <dt>EPCIS event</dt>
                  <dd className="mono">
                    {e.type}
                    {e.action ? ` ${e.action}` : ''}
                  </dd>
                  <dt>Business step</dt>
                  <dd className="mono">{e.bizStep ?? '—'}</dd>
                  <dt>Disposition</dt>
                  <dd className="mono">{e.disposition ?? '—'}</dd>
                  <dt>Read point / location</dt>
                  <dd className="mono">{e.location ?? '—'}</dd>
                  <dt>Source → destination</dt>
                  <dd className="mono">
                    {e.source ?? '—'} → {e.destination ?? '—'}
                  </dd>
                  <dt>This item as</dt>
                  <dd className="mono">{e.role}</dd>
                  <dt>From file</dt>
                  <dd>{e.file}</dd>
                  <dt>Ledger record</dt>
                  <dd>
                    <a href={`#/ledger/${e.ledgerSeq}`}>{e.ledgerSeq}</a>
                  </dd>
                </dl>
              </details>
            </td>
            <td>{dispositionWords(e.disposition) || '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
