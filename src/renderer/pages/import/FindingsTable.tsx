import type { Contract, OutputOf } from '../../../core/api';

export type Finding = OutputOf<Contract['quarantine.show']>['reasons'][number];

const SHOWN = 200;

/** Why a file or event was rejected: each reason names the rule and the record it concerns. */
export function FindingsTable({ reasons, caption }: { reasons: readonly Finding[]; caption: string }) {
  if (reasons.length === 0) return null;
  const shown = reasons.slice(0, SHOWN);
  return (
    <div className="findings">
      <table className="table findings-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">Record</th>
            <th scope="col">Where</th>
            <th scope="col">What is wrong</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((reason, i) => (
            <tr key={i} data-testid="finding" className={reason.suspect ? 'finding-suspect' : undefined}>
              <td className="mono">
                {reason.rule}
                {reason.suspect ? <span className="pill pill-bad finding-flag">suspect</span> : null}
              </td>
              <td>{reason.record === null ? 'whole file' : `record ${reason.record}`}</td>
              <td>{[reason.position, reason.field].filter(Boolean).join(', ') || '—'}</td>
              <td>{reason.message}</td>
            </tr>
          ))}
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
