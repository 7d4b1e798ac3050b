import { useEffect, useRef, type ReactNode } from 'react';

/** The frame around everything shown before the workstation opens: setup, sign-in, the lock. */
export function GateFrame({
  gate,
  title,
  intro,
  children,
  wide,
}: {
  gate: string;
  title: string;
  intro?: ReactNode;
  children: ReactNode;
  wide?: boolean;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [title]);
  return (
    <div className="gate" data-gate={gate}>
      <main className={`gate-card ${wide ? 'gate-card-wide' : ''}`} aria-labelledby="gate-title">
        <div className="gate-brand">Custodia</div>
        <h1 id="gate-title" ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {intro ? <div className="page-intro">{intro}</div> : null}
        {children}
      </main>
    </div>
  );
}
