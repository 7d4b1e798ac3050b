/** A labelled progress bar; indeterminate while the total is unknown. */
export function Progress({ label, done, total }: { label: string; done: number; total: number | null }) {
  const percent = total ? Math.min(100, Math.round((done / total) * 100)) : undefined;
  return (
    <div className="progress">
      <div className="progress-label">
        {label}
        {total
          ? ` — ${done.toLocaleString()} of ${total.toLocaleString()} (${percent}%)`
          : ` — ${done.toLocaleString()}`}
      </div>
      <progress max={total ?? undefined} value={total ? done : undefined} aria-label={label} />
    </div>
  );
}
