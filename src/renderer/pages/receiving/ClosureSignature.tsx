import type { ClosureSignature } from '../../../core/api/procedures/quarantine';
import { formatDateTime } from '../../forms/format';

export { SignaturePassword, SigningFacts } from '../../ui/SigningFacts';

/** A recorded signature: who, what it means, when, and the hash of exactly what was signed. */
export function SignedBy({ signature, testId }: { signature: ClosureSignature; testId: string }) {
  return (
    <span data-testid={testId}>
      {signature.printedName} — “{signature.meaning}”, {formatDateTime(signature.signedAt, 'numeric')}{' '}
      <span className="mono field-hint" title="SHA-256 of exactly what was signed">
        ({signature.subjectHash.slice(0, 12)}…)
      </span>
    </span>
  );
}

/** The "Signed" row of a record's facts, when it carries a signature. */
export function SignedRow({
  signature,
  testId,
}: {
  signature: ClosureSignature | undefined;
  testId: string;
}) {
  if (signature === undefined) return null;
  return (
    <>
      <dt>Signed</dt>
      <dd>
        <SignedBy signature={signature} testId={testId} />
      </dd>
    </>
  );
}
