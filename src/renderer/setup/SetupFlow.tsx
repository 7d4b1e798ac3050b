import { useState } from 'react';
import { asClientError, type ClientError } from '../api/client';
import { useClient } from '../api/context';
import { splitError, type FieldErrors } from '../forms/errors';
import { PasswordPolicy } from '../session/PasswordPolicy';
import { useDemoStatus } from '../shell/DemoBanner';
import { GateFrame } from '../session/GateFrame';
import { useSession } from '../session/SessionProvider';
import { Button } from '../ui/Button';
import { Field, Form } from '../ui/Form';
import { ErrorNotice, Notice } from '../ui/Notice';
import { RecoveryKitPanel } from './RecoveryKitPanel';
import {
  EMPTY_REGISTRANT,
  RegistrantFields,
  registrantProblems,
  toRegistrant,
  type RegistrantDraft,
} from './RegistrantFields';

type Step = 'registrant' | 'administrator' | 'kit';
const STEPS: { id: Step; label: string }[] = [
  { id: 'registrant', label: 'Registrant' },
  { id: 'administrator', label: 'First administrator' },
  { id: 'kit', label: 'Recovery kit' },
];

const RULE_FIELDS = {
  'dea-number': 'registrant.deaNumber',
  gln: 'registrant.glns',
  'password-policy': 'administrator.password',
  'unique-username': 'administrator.username',
};

/**
 * First run: who the registrant is (as DEA knows it), who administers this installation, and the
 * recovery kit. Registrant and administrator are recorded together by one call, so a half-done
 * setup never exists; the kit follows once the keys are in use.
 */
export function SetupFlow() {
  const client = useClient();
  const session = useSession();
  const demo = useDemoStatus();
  const [step, setStep] = useState<Step>('registrant');
  const [registrant, setRegistrant] = useState<RegistrantDraft>(EMPTY_REGISTRANT);
  const [admin, setAdmin] = useState({ username: '', displayName: '', password: '', confirm: '' });
  const [policyOk, setPolicyOk] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<ClientError | null>(null);
  const [busy, setBusy] = useState(false);

  // Errors already shown follow the person's edits: a fixed field loses its message at once.
  const editRegistrant = (next: RegistrantDraft) => {
    setRegistrant(next);
    const problems = registrantProblems(next);
    setErrors((shown) => {
      const kept: FieldErrors = {};
      for (const key of Object.keys(shown)) {
        const problem = key.startsWith('registrant.') ? problems[key] : shown[key];
        if (problem) kept[key] = problem;
      }
      return kept;
    });
  };

  const nextFromRegistrant = () => {
    const problems = registrantProblems(registrant);
    setErrors(problems);
    if (Object.keys(problems).length === 0) setStep('administrator');
  };

  const initialize = async () => {
    const problems: FieldErrors = {};
    if (!/^[a-z0-9][a-z0-9._-]{1,63}$/.test(admin.username))
      problems['administrator.username'] =
        'Lowercase letters, digits, ".", "_" and "-", at least 2 characters.';
    if (!admin.displayName.trim())
      problems['administrator.displayName'] = 'The name printed beside this person’s signatures.';
    if (admin.confirm !== admin.password) problems['administrator.confirm'] = 'The two passwords differ.';
    if (!policyOk) problems['administrator.password'] = 'Choose a password that meets the policy below.';
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    setGeneral(null);
    try {
      session.holdSetup();
      await client.call('setup.initialize', {
        registrant: toRegistrant(registrant),
        administrator: {
          username: admin.username,
          displayName: admin.displayName.trim(),
          password: admin.password,
        },
      });
      setAdmin((a) => ({ ...a, password: '', confirm: '' }));
      setStep('kit');
    } catch (failure) {
      session.finishSetup();
      const split = splitError(failure, { ruleFields: RULE_FIELDS });
      const fields: FieldErrors = {};
      for (const [path, message] of Object.entries(split.fields)) {
        fields[path.startsWith('registrant.glns') ? 'registrant.glns' : path] = message;
      }
      setErrors(fields);
      setGeneral(split.general);
      if (Object.keys(fields).some((path) => path.startsWith('registrant.'))) setStep('registrant');
    } finally {
      setBusy(false);
    }
  };

  const index = STEPS.findIndex((s) => s.id === step);
  return (
    <GateFrame
      gate="setup"
      wide
      title="Set up Custodia"
      intro="Three steps before the workstation opens. Everything you enter here becomes the first entries of this pharmacy's ledger."
    >
      {demo?.available && step === 'registrant' ? <DemoOffer demo={demo} /> : null}
      <ol className="steps" aria-label="Setup steps">
        {STEPS.map((s, i) => (
          <li
            key={s.id}
            className={i === index ? 'step-current' : i < index ? 'step-done' : undefined}
            aria-current={i === index ? 'step' : undefined}
          >
            {i + 1}. {s.label}
          </li>
        ))}
      </ol>
      {general ? <ErrorNotice error={general} /> : null}

      {step === 'registrant' ? (
        <Form onSubmit={nextFromRegistrant} label="Registrant" wide>
          <h2>The registrant</h2>
          <p className="page-intro">
            As on the DEA registration certificate of this location (21 CFR 1304.11(a)).
          </p>
          <RegistrantFields draft={registrant} onChange={editRegistrant} errors={errors} />
          <div className="form-actions">
            <Button variant="primary" type="submit">
              Next: first administrator
            </Button>
          </div>
        </Form>
      ) : null}

      {step === 'administrator' ? (
        <Form onSubmit={initialize} label="First administrator" wide>
          <h2>The first administrator</h2>
          <p className="page-intro">
            This person adds the other staff and their roles in Settings. An administrator approves no
            controlled-substance transactions unless also given the pharmacist role.
          </p>
          <Field
            label="Username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            value={admin.username}
            onChange={(e) => setAdmin({ ...admin, username: e.target.value.toLowerCase() })}
            hint="Lowercase, e.g. jsmith"
            error={errors['administrator.username']}
          />
          <Field
            label="Printed name"
            value={admin.displayName}
            onChange={(e) => setAdmin({ ...admin, displayName: e.target.value })}
            hint="Shown beside every electronic signature this person makes (21 CFR 11.50)."
            error={errors['administrator.displayName']}
          />
          <Field
            label="Password"
            type="password"
            autoComplete="new-password"
            value={admin.password}
            onChange={(e) => setAdmin({ ...admin, password: e.target.value })}
            error={errors['administrator.password']}
          />
          <PasswordPolicy candidate={admin.password} username={admin.username} onVerdict={setPolicyOk} />
          <Field
            label="Password again"
            type="password"
            autoComplete="new-password"
            value={admin.confirm}
            onChange={(e) => setAdmin({ ...admin, confirm: e.target.value })}
            error={errors['administrator.confirm']}
          />
          <div className="form-actions">
            <Button variant="primary" type="submit" disabled={busy}>
              {busy ? 'Recording…' : 'Record registrant and create administrator'}
            </Button>
            <Button variant="ghost" onClick={() => setStep('registrant')}>
              Back
            </Button>
          </div>
        </Form>
      ) : null}

      {step === 'kit' ? (
        <section aria-labelledby="kit-title">
          <h2 id="kit-title">Recovery kit</h2>
          <Notice kind="ok" title="The registrant is recorded and the administrator is signed in." />
          <RecoveryKitPanel
            onSaved={session.finishSetup}
            savedLabel="I have saved it: open the workstation"
          />
          <p className="field-hint">
            <Button variant="ghost" onClick={session.finishSetup}>
              Not now (make the kit later in Settings)
            </Button>
          </p>
        </section>
      ) : null}
    </GateFrame>
  );
}

/**
 * Beside setting up: the demo month, one click away. It opens in a ledger of its own (<data>/demo),
 * so this pharmacy's ledger stays empty until it is set up.
 */
function DemoOffer({ demo }: { demo: NonNullable<ReturnType<typeof useDemoStatus>> }) {
  const client = useClient();
  const session = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ClientError | null>(null);
  const explore = async () => {
    setBusy(true);
    setError(null);
    try {
      await client.call('demo.enter', {});
      await session.refresh();
    } catch (failure) {
      setError(asClientError(failure));
      setBusy(false);
    }
  };
  return (
    <div className="first-run-choice">
      <section className="choice-card" aria-labelledby="choice-setup">
        <h2 id="choice-setup">Set up this pharmacy</h2>
        <p>
          Three steps below: the registrant as on the DEA certificate, the first administrator, and the
          recovery kit.
        </p>
      </section>
      <section className="choice-card choice-demo" aria-labelledby="choice-demo">
        <h2 id="choice-demo">Or explore with demo data</h2>
        <p>
          {demo.title ?? 'A demo pharmacy'}: three wholesalers&apos; files (an over-shipment, a missing T3, a
          suspect serial in quarantine) and one person per role, passwords shown. A demo ledger of its own,
          marked DEMO on every page{demo.loaded ? ', as you left it' : ''}; leaving it is one click.
        </p>
        {error ? <ErrorNotice error={error} /> : null}
        <Button onClick={() => void explore()} disabled={busy}>
          {busy ? (demo.loaded ? 'Opening the demo…' : 'Loading the demo month…') : 'Explore with demo data'}
        </Button>
      </section>
    </div>
  );
}
