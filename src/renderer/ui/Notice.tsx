import type { ReactNode } from 'react';
import type { ClientError } from '../api/client';

export function Notice({
  kind = 'info',
  title,
  children,
}: {
  kind?: 'info' | 'warn' | 'error';
  title: string;
  children?: ReactNode;
}) {
  return (
    <div className={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : undefined}>
      <strong>{title}</strong>
      {children ? <div>{children}</div> : null}
    </div>
  );
}

/** How a typed core error reads on screen: what happened, and the code for support. */
export function ErrorNotice({ error }: { error: ClientError }) {
  return (
    <Notice kind="error" title={error.message}>
      <small>Error code: {error.code}</small>
    </Notice>
  );
}
