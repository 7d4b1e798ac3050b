import type { ReactNode } from 'react';
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
  return (
    <Notice kind="error" title={error.message}>
      {step ? <div>{step}</div> : null}
      <small>Error code: {error.code}</small>
    </Notice>
  );
}
