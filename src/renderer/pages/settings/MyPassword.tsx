import { useState } from 'react';
import type { ClientError } from '../../api/client';
import { useClient } from '../../api/context';
import { splitError, type FieldErrors } from '../../forms/errors';
import { PasswordPolicy } from '../../session/PasswordPolicy';
import { useSession } from '../../session/SessionProvider';
import { Button } from '../../ui/Button';
import { Field, Form } from '../../ui/Form';
import { ErrorNotice } from '../../ui/Notice';
import { useToast } from '../../ui/Toasts';

export function MyPassword() {
  const client = useClient();
  const session = useSession();
  const toast = useToast();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [ok, setOk] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ClientError | null>(null);
  const submit = async () => {
    setError(null);
    if (confirm !== next) return setErrors({ confirm: 'The two entries differ.' });
    if (!ok) return setErrors({ next: 'Choose a password that meets the policy.' });
    try {
      await client.call('auth.changePassword', { currentPassword: current, newPassword: next });
      toast('success', 'Your password is changed.');
      setCurrent('');
      setNext('');
      setConfirm('');
      setErrors({});
    } catch (failure) {
      const split = splitError(failure, {
        ruleFields: { 'current-password': 'current', 'password-policy': 'next' },
      });
      setErrors(split.fields);
      setError(split.general);
    }
  };
  return (
    <Form onSubmit={submit} label="Change your password">
      <Field
        label="Current password"
        type="password"
        autoComplete="current-password"
        value={current}
        onChange={(e) => setCurrent(e.target.value)}
        error={errors.current}
      />
      <Field
        label="New password"
        type="password"
        autoComplete="new-password"
        value={next}
        onChange={(e) => setNext(e.target.value)}
        error={errors.next}
      />
      <PasswordPolicy candidate={next} username={session.principal?.username} onVerdict={setOk} />
      <Field
        label="New password again"
        type="password"
        autoComplete="new-password"
        value={confirm}
        onChange={(e) => setConfirm(e.target.value)}
        error={errors.confirm}
      />
      {error ? <ErrorNotice error={error} /> : null}
      <div className="form-actions">
        <Button variant="primary" type="submit" disabled={!current || !next}>
          Change password
        </Button>
      </div>
    </Form>
  );
}
