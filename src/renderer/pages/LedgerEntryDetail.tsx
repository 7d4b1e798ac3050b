import { useQuery } from '../api/context';
import { formatDateTime } from '../forms/format';
import { ErrorNotice } from '../ui/Notice';
import { useActorNames } from './ledger/actors';
import { entryWords } from './ledger/entryWords';

/** One record: the exact canonical bytes that were hashed, and its inclusion proof. */
export function LedgerEntryDetail({ seq }: { seq: number }) {
  const entry = useQuery('ledger.entry', { seq });
  const nameOf = useActorNames();
  if (entry.status === 'loading') return <p>Loading record {seq}…</p>;
  if (entry.status === 'error') return <ErrorNotice error={entry.error} />;
  const { data } = entry;
  return (
    <div data-testid="entry-detail">
      <h2>
        Record {data.seq}: {entryWords(data.type)}
      </h2>
      <dl className="facts">
        <dt>Type</dt>
        <dd className="mono">{data.type}</dd>
        <dt>Time</dt>
        <dd>{formatDateTime(data.time, 'seconds')}</dd>
        <dt>Who</dt>
        <dd>
          {nameOf(data.actor)}
          {nameOf(data.actor) !== data.actor ? <span className="field-hint mono"> {data.actor}</span> : null}
        </dd>
        <dt>Leaf hash</dt>
        <dd className="mono">{data.leafHash}</dd>
      </dl>
      <h3>Exact bytes (canonical JSON)</h3>
      <pre>{data.canonicalJson}</pre>
      <h3>Inclusion proof</h3>
      <p className="field-hint">
        These {data.proof.path.length} hashes lead from this record to the root of the{' '}
        {data.proof.treeSize.toLocaleString()}
        -record tree signed in the checkpoint below (RFC 9162 §2.1.3).
      </p>
      <pre>{[`root ${data.proof.root}`, ...data.proof.path.map((h, i) => `${i + 1}. ${h}`)].join('\n')}</pre>
      <pre>{data.checkpoint}</pre>
    </div>
  );
}
