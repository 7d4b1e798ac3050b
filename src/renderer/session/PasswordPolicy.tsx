import { useEffect, useState } from 'react';
import type { Contract, OutputOf } from '../../core/api';
import { useClient } from '../api/context';

type Policy = OutputOf<Contract['auth.passwordPolicy']>;

/**
 * The password policy in plain words, checked by the core as the person types (debounced), so
 * the rule shown is exactly the rule applied. Reports back whether the candidate passes.
 */
export function PasswordPolicy({
  candidate,
  username,
  onVerdict,
}: {
  candidate: string;
  username?: string;
  onVerdict?: (ok: boolean) => void;
}) {
  const client = useClient();
  const [policy, setPolicy] = useState<Policy>();
  useEffect(() => {
    let live = true;
    const timer = setTimeout(
      () => {
        const input = candidate ? { candidate, ...(username ? { username } : {}) } : {};
        client
          .call('auth.passwordPolicy', input)
          .then((value) => {
            if (!live) return;
            setPolicy(value);
            onVerdict?.(value.ok === true);
          })
          .catch(() => undefined);
      },
      candidate ? 250 : 0,
    );
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // onVerdict is a setter from the parent; re-checking on its identity would only repeat calls.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, candidate, username]);
  if (policy === undefined) return null;
  return (
    <div className="policy" aria-live="polite" data-testid="password-policy">
      <div className="field-hint">{policy.description}</div>
      {candidate && policy.ok === false ? (
        <ul className="policy-problems">
          {policy.problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      ) : null}
      {candidate && policy.ok === true ? (
        <div className="policy-ok">✓ This password meets the policy.</div>
      ) : null}
    </div>
  );
}
