import { useState } from 'react';
import type { Contract, InputOf } from '../../../core/api';
import { asClientError, type ClientError } from '../../api/client';
import { useClient } from '../../api/context';
import { Button } from '../../ui/Button';
import { CheckboxField, Field, SelectField } from '../../ui/Form';
import { ErrorNotice } from '../../ui/Notice';

type Role = InputOf<Contract['partners.save']>['role'];

/** The minimum to record a trading partner here, so its CSV mapping has an owner. */
export function PartnerForm({ onSaved }: { onSaved: (id: number) => void }) {
  const client = useClient();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('wholesaler');
  const [glns, setGlns] = useState('');
  const [authorized, setAuthorized] = useState(false);
  const [error, setError] = useState<ClientError | null>(null);
  const list = glns
    .split(/[\s,;]+/)
    .map((g) => g.trim())
    .filter(Boolean);
  const badGln = list.find((g) => !/^\d{13}$/.test(g));
  return (
    <form
      className="form partner-form"
      aria-label="New trading partner"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (name.trim() === '' || badGln !== undefined) return;
        client
          .call('partners.save', { name: name.trim(), role, authorized, glns: list })
          .then((r) => onSaved(r.id))
          .catch((e: unknown) => setError(asClientError(e)));
      }}
    >
      <Field label="Partner name" value={name} onChange={(e) => setName(e.target.value)} />
      <SelectField label="Role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
        <option value="wholesaler">Wholesale distributor</option>
        <option value="manufacturer">Manufacturer</option>
        <option value="repackager">Repackager</option>
        <option value="dispenser">Dispenser</option>
        <option value="3pl">Third-party logistics provider</option>
        <option value="other">Other</option>
      </SelectField>
      <Field
        label="GLNs"
        value={glns}
        hint="13 digits each, separated by spaces or commas."
        onChange={(e) => setGlns(e.target.value)}
        {...(badGln !== undefined ? { error: `${badGln} is not a GLN: a GLN is 13 digits.` } : {})}
      />
      <CheckboxField
        label="Authorized trading partner (licence or registration checked)"
        checked={authorized}
        hint="FD&C Act §582(d)(3): a dispenser trades only with authorized partners."
        onChange={(e) => setAuthorized(e.target.checked)}
      />
      {error ? <ErrorNotice error={error} /> : null}
      <div>
        <Button variant="primary" type="submit" disabled={name.trim() === ''}>
          Save partner
        </Button>
      </div>
    </form>
  );
}
