import { useEffect, useRef, type ReactNode } from 'react';

/** A page frame: its heading takes focus on arrival so keyboard and screen-reader users know where they are. */
export function Page({ title, intro, children }: { title: string; intro?: string; children?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [title]);
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title" ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {intro ? <p className="page-intro">{intro}</p> : null}
      {children}
    </section>
  );
}

/** Said plainly on areas whose capability has not been built yet: no fake data. */
export function NotYet({ title, what }: { title: string; what: string }) {
  return (
    <Page title={title}>
      <div className="notice notice-info" data-testid="not-yet">
        <strong>Not available in this version yet.</strong>
        <div>{what}</div>
      </div>
    </Page>
  );
}
