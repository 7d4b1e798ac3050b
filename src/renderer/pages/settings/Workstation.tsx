import { useEffect, useState } from 'react';
import type { Contract, InputOf } from '../../../core/api';
import type { ClientError } from '../../api/client';
import { useClient } from '../../api/context';
import { splitError } from '../../forms/errors';
import { can } from '../../session/roles';
import { useSession } from '../../session/SessionProvider';
import { Button } from '../../ui/Button';
import { CheckboxField, Field, Form, Row } from '../../ui/Form';
import { ErrorNotice } from '../../ui/Notice';
import { useToast } from '../../ui/Toasts';

type Settings = Required<InputOf<Contract['setup.updateSettings']>['settings']>;
const SCHEDULES = ['CII', 'CIII', 'CIV', 'CV'] as const;

/**
 * Workstation lock, account lockout, the count variance that opens a discrepancy per schedule, and
 * receiving's short-dated threshold and exception tone.
 */
export function Workstation() {
  const client = useClient();
  const session = useSession();
  const toast = useToast();
  const [draft, setDraft] = useState<Settings>();
  const [error, setError] = useState<ClientError | null>(null);
  const manage = can.manageSettings(session.principal);
  useEffect(() => {
    if (session.settings) setDraft(session.settings as Settings);
  }, [session.settings]);
  if (!draft) return <p>Loading…</p>;

  const num = (key: keyof Omit<Settings, 'varianceThresholdPercent' | 'receivingSound'>) => ({
    type: 'number',
    value: String(draft[key]),
    disabled: !manage,
    onChange: (e: { target: { value: string } }) => setDraft({ ...draft, [key]: Number(e.target.value) }),
  });
  const save = async () => {
    setError(null);
    try {
      await client.call('setup.updateSettings', { settings: draft });
      session.reloadSettings();
      toast('success', 'Settings saved (a ledger entry records the change).');
    } catch (failure) {
      setError(splitError(failure).general ?? (failure as ClientError));
    }
  };
  return (
    <Form onSubmit={save} label="Workstation settings" wide>
      <Row>
        <Field
          label="Lock after idle (minutes)"
          min={1}
          max={60}
          {...num('idleLockMinutes')}
          hint="Default 5."
        />
        <Field label="Wrong passwords before lockout" min={3} max={20} {...num('lockoutMaxFailures')} />
        <Field label="…within (minutes)" min={1} {...num('lockoutWindowMinutes')} />
        <Field label="Lockout lasts (minutes)" min={1} {...num('lockoutMinutes')} />
      </Row>
      <fieldset className="group">
        <legend>Count variance that opens a discrepancy (± percent of the perpetual balance)</legend>
        <Row>
          {SCHEDULES.map((s) => (
            <Field
              key={s}
              label={`Schedule ${s.slice(1)}`}
              type="number"
              step="any"
              min={0}
              max={100}
              disabled={!manage}
              value={String(draft.varianceThresholdPercent[s])}
              onChange={(e) =>
                setDraft({
                  ...draft,
                  varianceThresholdPercent: {
                    ...draft.varianceThresholdPercent,
                    [s]: Number(e.target.value),
                  },
                })
              }
            />
          ))}
        </Row>
      </fieldset>
      <fieldset className="group">
        <legend>Receiving</legend>
        <Row>
          <Field
            label="Short-dated: expiring within (days)"
            min={0}
            max={730}
            {...num('shortDatedDays')}
            hint="A scanned package expiring within this many days is flagged short-dated; one past its expiry, expired. Default 180."
          />
          <CheckboxField
            label="Sound a tone when a scan opens an exception"
            checked={draft.receivingSound}
            disabled={!manage}
            onChange={(e) => setDraft({ ...draft, receivingSound: e.target.checked })}
            hint="For a technician looking at the tote rather than the screen."
          />
        </Row>
      </fieldset>
      {error ? <ErrorNotice error={error} /> : null}
      {manage ? (
        <div className="form-actions">
          <Button variant="primary" type="submit">
            Save settings
          </Button>
        </div>
      ) : (
        <p className="field-hint">Administrators change these settings.</p>
      )}
    </Form>
  );
}
