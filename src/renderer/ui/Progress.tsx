import { useEffect, useState } from 'react';

/** "2 min 10 s", "45 s": how long is left, rounded for a person waiting. */
function duration(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

function amount(n: number, unit: string): string {
  if (unit !== 'bytes') return `${n.toLocaleString()} ${unit}`;
  return n >= 1_048_576 ? `${(n / 1_048_576).toFixed(1)} MB` : `${Math.ceil(n / 1024).toLocaleString()} KB`;
}

/**
 * A labelled progress bar in the job's own unit (records, packages, bytes shown as MB), with the
 * rate so far and, when the total is known, an estimate of the time left; indeterminate while the
 * total is unknown.
 */
export function Progress({
  label,
  done,
  total,
  unit = 'records',
}: {
  label: string;
  done: number;
  total: number | null;
  unit?: string;
}) {
  // When this bar first moved, and the rate since: the estimate counts from there.
  const [start, setStart] = useState<{ ms: number; done: number } | null>(null);
  const [rate, setRate] = useState(0);
  useEffect(() => {
    const now = Date.now();
    if (start === null) {
      if (done > 0) setStart({ ms: now, done });
    } else if (now - start.ms > 1500) setRate((done - start.done) / (now - start.ms));
  }, [done, start]);
  const percent = total ? Math.min(100, Math.round((done / total) * 100)) : undefined;
  const left = total && rate > 0 ? duration((total - done) / rate) : null;
  return (
    <div className="progress">
      <div className="progress-label">
        {label}
        {total
          ? ` — ${amount(done, unit)} of ${amount(total, unit)} (${percent}%)`
          : ` — ${amount(done, unit)}`}
        {left !== null ? `, about ${left} left` : ''}
        {total === null && rate > 0 && unit !== 'bytes'
          ? `, ${Math.round(rate * 1000).toLocaleString()} ${unit} a second`
          : ''}
      </div>
      <progress max={total ?? undefined} value={total ? done : undefined} aria-label={label} />
    </div>
  );
}
