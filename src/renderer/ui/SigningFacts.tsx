import { useEffect, useState } from 'react';
import { formatDateTime } from '../forms/format';
import { Field } from './Form';

/**
 * What an electronic signature will say, shown before the signer types their password
 * (21 CFR 11.50): printed name, date and time (ticking), the meaning in words and, when known, the
 * hash of exactly what is signed.
 */
export function SigningFacts(props: {
  printedName: string;
  meaning: string;
  explanation?: string;
  subjectHash?: string;
}) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <dl className="facts signature-facts" data-testid="signature-facts">
      <dt>Printed name</dt>
      <dd>{props.printedName}</dd>
      <dt>Date and time</dt>
      <dd>{formatDateTime(now, 'numeric')}</dd>
      <dt>Meaning</dt>
      <dd>
        <strong>{props.meaning}</strong>
        {props.explanation !== undefined ? `: ${props.explanation}` : null}
      </dd>
      {props.subjectHash ? (
        <>
          <dt>Signed over</dt>
          <dd className="mono" title="SHA-256 of exactly what you are signing">
            {props.subjectHash}
          </dd>
        </>
      ) : null}
    </dl>
  );
}

/** The password that makes the signature (re-entered at every signing, 21 CFR 11.200(a)(1)). */
export function SignaturePassword(props: { value: string; onChange: (value: string) => void }) {
  return (
    <Field
      label="Your password (electronic signature)"
      type="password"
      autoComplete="current-password"
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
    />
  );
}
