import { useEffect, useState } from 'react';
import type { ClosureSignature } from '../../../core/api/procedures/quarantine';

/**
 * What a closure signature will say, shown before the signer types their password (21 CFR 11.50):
 * printed name, date and time, and the meaning in words.
 */
export function SigningFacts({ printedName, meaning }: { printedName: string; meaning: string }) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <dl className="facts signature-facts" data-testid="signature-facts">
      <dt>Printed name</dt>
      <dd>{printedName}</dd>
      <dt>Date and time</dt>
      <dd>{now.toLocaleString()}</dd>
      <dt>Meaning</dt>
      <dd>
        <strong>{meaning}</strong>
      </dd>
    </dl>
  );
}

/** A recorded signature: who, what it means, when, and the hash of exactly what was signed. */
export function SignedBy({ signature, testId }: { signature: ClosureSignature; testId: string }) {
  return (
    <span data-testid={testId}>
      {signature.printedName} — “{signature.meaning}”, {new Date(signature.signedAt).toLocaleString()}{' '}
      <span className="mono field-hint" title="SHA-256 of exactly what was signed">
        ({signature.subjectHash.slice(0, 12)}…)
      </span>
    </span>
  );
}
