import { useEffect, useRef, type ReactNode } from 'react';
import type { ClientError } from '../api/client';
import { nextStep } from '../forms/errors';

export function Notice({
  kind = 'info',
  title,
  children,
  testId,
}: {
  kind?: 'info' | 'warn' | 'error' | 'ok';
  title: string;
  children?: ReactNode;
  testId?: string;
}) {
  return (
    <div
      className={`notice notice-${kind}`}
      role={kind === 'error' ? 'alert' : undefined}
      data-testid={testId}
    >
      <strong>{title}</strong>
      {children ? <div>{children}</div> : null}
    </div>
  );
}

/** How a typed core error reads on screen: what happened, what to do next, and the code for support. */
export function ErrorNotice({ error }: { error: ClientError }) {
  const step = nextStep(error);
  const ref = useRef<HTMLDivElement>(null);
  // In a dialog whose body scrolls (a signature at 1366×768), the error is brought into view.
  useEffect(() => {
    if (ref.current?.closest('dialog') != null) ref.current.scrollIntoView({ block: 'nearest' });
  }, [error]);
  return (
    <div ref={ref} className="error-notice">
      <Notice kind="error" title={error.message}>
        {step ? <div>{step}</div> : null}
        <small>Error code: {error.code}</small>
      </Notice>
    </div>
  );
}
