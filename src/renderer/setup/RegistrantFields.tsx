import type { Contract, InputOf } from '../../core/api';
import type { FieldErrors } from '../forms/errors';
import { deaNumberProblem, glnProblem, splitList } from '../forms/identifiers';
import { Field, Row, SelectField, TextAreaField } from '../ui/Form';

export type RegistrantInput = InputOf<Contract['setup.initialize']>['registrant'];

/** The registrant form as typed: plain strings, turned into the contract's shape by {@link toRegistrant}. */
export interface RegistrantDraft {
  name: string;
  line1: string;
  line2: string;
  city: string;
  state: string;
  zip: string;
  phone: string;
  deaNumber: string;
  stateLicense: string;
  glns: string;
  businessType: 'pharmacy' | 'distributor';
}

export const EMPTY_REGISTRANT: RegistrantDraft = {
  name: '',
  line1: '',
  line2: '',
  city: '',
  state: '',
  zip: '',
  phone: '',
  deaNumber: '',
  stateLicense: '',
  glns: '',
  businessType: 'pharmacy',
};

export function toRegistrant(d: RegistrantDraft): RegistrantInput {
  return {
    name: d.name.trim(),
    address: {
      line1: d.line1.trim(),
      ...(d.line2.trim() ? { line2: d.line2.trim() } : {}),
      city: d.city.trim(),
      state: d.state.trim().toUpperCase(),
      zip: d.zip.trim(),
    },
    ...(d.phone.trim() ? { phone: d.phone.trim() } : {}),
    deaNumber: d.deaNumber.trim().toUpperCase(),
    stateLicense: d.stateLicense.trim(),
    glns: splitList(d.glns),
    businessType: d.businessType,
  };
}

export function fromRegistrant(r: RegistrantInput): RegistrantDraft {
  return {
    name: r.name,
    line1: r.address.line1,
    line2: r.address.line2 ?? '',
    city: r.address.city,
    state: r.address.state,
    zip: r.address.zip,
    phone: r.phone ?? '',
    deaNumber: r.deaNumber,
    stateLicense: r.stateLicense,
    glns: r.glns.join('\n'),
    businessType: r.businessType,
  };
}

/** Problems a person can fix before anything is sent; the core checks all of it again. */
export function registrantProblems(d: RegistrantDraft): FieldErrors {
  const problems: FieldErrors = {};
  if (!d.name.trim()) problems['registrant.name'] = 'The name on the DEA registration.';
  if (!d.line1.trim()) problems['registrant.address.line1'] = 'Street address of the registered location.';
  if (!d.city.trim()) problems['registrant.address.city'] = 'City is needed.';
  if (!/^[A-Za-z]{2}$/.test(d.state.trim()))
    problems['registrant.address.state'] = 'Two-letter state code, e.g. IL.';
  if (!/^\d{5}(-\d{4})?$/.test(d.zip.trim()))
    problems['registrant.address.zip'] = 'ZIP or ZIP+4, e.g. 62701.';
  const dea = d.deaNumber.trim() ? deaNumberProblem(d.deaNumber) : 'The DEA registration number is needed.';
  if (dea) problems['registrant.deaNumber'] = dea;
  if (!d.stateLicense.trim())
    problems['registrant.stateLicense'] = 'The state pharmacy or distributor license number.';
  const gln = splitList(d.glns)
    .map(glnProblem)
    .find((p) => p !== undefined);
  if (gln) problems['registrant.glns'] = gln;
  return problems;
}

export function RegistrantFields({
  draft,
  onChange,
  errors,
}: {
  draft: RegistrantDraft;
  onChange: (next: RegistrantDraft) => void;
  errors: FieldErrors;
}) {
  const set = (key: keyof RegistrantDraft) => (e: { target: { value: string } }) =>
    onChange({ ...draft, [key]: e.target.value });
  const live = draft.deaNumber.trim().length >= 9 ? deaNumberProblem(draft.deaNumber) : undefined;
  return (
    <>
      <Field
        label="Registrant name"
        value={draft.name}
        onChange={set('name')}
        error={errors['registrant.name']}
      />
      <SelectField
        label="Business type"
        value={draft.businessType}
        onChange={set('businessType')}
        hint="A pharmacy dispenses on prescriptions; a distributor sells to other registrants."
      >
        <option value="pharmacy">Pharmacy</option>
        <option value="distributor">Distributor</option>
      </SelectField>
      <Field
        label="Street address"
        value={draft.line1}
        onChange={set('line1')}
        error={errors['registrant.address.line1']}
      />
      <Field label="Address line 2 (optional)" value={draft.line2} onChange={set('line2')} />
      <Row>
        <Field
          label="City"
          value={draft.city}
          onChange={set('city')}
          error={errors['registrant.address.city']}
        />
        <Field
          label="State"
          value={draft.state}
          maxLength={2}
          onChange={set('state')}
          error={errors['registrant.address.state']}
        />
        <Field label="ZIP" value={draft.zip} onChange={set('zip')} error={errors['registrant.address.zip']} />
      </Row>
      <Field label="Phone (optional)" value={draft.phone} onChange={set('phone')} />
      <Field
        label="DEA registration number"
        value={draft.deaNumber}
        maxLength={9}
        spellCheck={false}
        autoCapitalize="characters"
        onChange={set('deaNumber')}
        hint="Two letters and seven digits, as on the DEA certificate; the last digit is a check digit."
        error={live ?? errors['registrant.deaNumber']}
      />
      <Field
        label="State license number"
        value={draft.stateLicense}
        onChange={set('stateLicense')}
        error={errors['registrant.stateLicense']}
      />
      <TextAreaField
        label="GLNs of the registered location(s) (optional)"
        value={draft.glns}
        onChange={set('glns')}
        hint="GS1 Global Location Numbers, 13 digits each, one per line. Trading partners name you by these."
        error={errors['registrant.glns']}
      />
    </>
  );
}
