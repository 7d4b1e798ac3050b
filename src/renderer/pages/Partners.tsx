import { useCallback, useEffect, useState } from 'react';
import type { Contract, InputOf, OutputOf } from '../../core/api';
import { asClientError, type ClientError } from '../api/client';
import { useClient, useQuery } from '../api/context';
import { formatDateTime } from '../forms/format';
import { Button } from '../ui/Button';
import { SignatureDialog } from '../ui/SignatureDialog';
import { CheckboxField, Field, Row, SelectField, TextAreaField } from '../ui/Form';
import { ErrorNotice, Notice } from '../ui/Notice';
import { Progress } from '../ui/Progress';
import { useSession } from '../session/SessionProvider';
import { PARTNERS_CHANGED } from '../shell/SyncStatus';
import { Page } from './Page';

type Overview = OutputOf<Contract['sync.overview']>;
type PartnerView = Overview['partners'][number];
type Item = Overview['outbox'][number];
type TestReport = OutputOf<Contract['sync.test']>;
type SaveInput = InputOf<Contract['sync.savePartner']>;

const STATUS: Record<PartnerView['status'], [kind: 'ok' | 'bad' | 'wait' | 'info', text: string]> = {
  never: ['info', 'Not synced yet'],
  ok: ['ok', 'Connected'],
  failing: ['bad', 'Last sync failed'],
  'open-circuit': ['bad', 'Paused after failures'],
};

const ITEM_STATE: Record<Item['state'], string> = {
  queued: 'Waiting to send',
  posted: 'Sent, checking the partner got it',
  polling: 'Partner is storing it',
  delivered: 'Delivered',
  failed: 'Failed, will retry',
  dead: 'Dead letter',
  dismissed: 'Dismissed',
  split: 'Split into parts',
};

const AUTH_TEXT: Record<PartnerView['auth'], string> = {
  none: 'No authentication',
  bearer: 'Bearer token (in this computer’s keychain)',
  basic: 'User name and password (password in the keychain)',
  oauth2: 'OAuth 2.0 client credentials (secret in the keychain)',
};

/** `#/partners/new?gln=…&name=…`: the add form, filled in (a refused file for an unknown partner links here). */
function prefillFromHash(): { gln?: string; name?: string } | null {
  const [route, query] = window.location.hash.replace(/^#\/?/, '').split('?');
  if (route !== 'partners/new') return null;
  const params = new URLSearchParams(query ?? '');
  return {
    ...(params.get('gln') ? { gln: params.get('gln')! } : {}),
    ...(params.get('name') ? { name: params.get('name')! } : {}),
  };
}

/**
 * Trading partners and how Custodia talks to them: their EPCIS 2.0 endpoint (pulled on a schedule
 * and on "Sync now"), their verification service, the connection's TLS certificate, and every
 * outgoing item that failed (retry it, or dismiss it with a signed reason).
 */
export function Partners() {
  const client = useClient();
  const overview = useQuery('sync.overview', {});
  const { principal: me } = useSession();
  const reloadOverview = overview.reload;
  // The status bar's partner-sync summary follows what the person just did here.
  const reload = useCallback(() => {
    reloadOverview();
    window.dispatchEvent(new Event(PARTNERS_CHANGED));
  }, [reloadOverview]);
  const [adding, setAdding] = useState<{ gln?: string; name?: string } | null>(prefillFromHash);
  const [progress, setProgress] = useState<{ label: string; done: number } | null>(null);
  const [syncing, setSyncing] = useState<number | 'all' | null>(null);
  const [tests, setTests] = useState<Record<number, TestReport | ClientError>>({});
  const [testing, setTesting] = useState<number | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const [dismissing, setDismissing] = useState<Item | null>(null);

  useEffect(() => {
    const onHash = () => {
      const p = prefillFromHash();
      if (p !== null) setAdding(p);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  useEffect(
    () =>
      client.onEvent((event) => {
        if (!('jobId' in event) || !event.jobId.startsWith('partner-sync-')) return;
        if (event.topic === 'job.progress') setProgress({ label: event.label, done: event.done });
        if (event.topic === 'job.finished') setProgress(null);
      }),
    [client],
  );

  const sync = (partnerId?: number) => {
    setSyncing(partnerId ?? 'all');
    setError(null);
    setResult(null);
    client
      .call('sync.run', partnerId === undefined ? {} : { partnerId })
      .then((r) =>
        setResult(
          r.results.map((x) => `${x.partner}: ${x.ok ? '' : 'failed — '}${x.message}`).join(' ') ||
            'No partner to sync.',
        ),
      )
      .catch((e: unknown) => setError(asClientError(e)))
      .finally(() => {
        setSyncing(null);
        setProgress(null);
        reload();
      });
  };

  const test = (partnerId: number) => {
    setTesting(partnerId);
    client
      .call('sync.test', { partnerId })
      .then((r) => setTests((t) => ({ ...t, [partnerId]: r })))
      .catch((e: unknown) => setTests((t) => ({ ...t, [partnerId]: asClientError(e) })))
      .finally(() => {
        setTesting(null);
        reload();
      });
  };

  const retry = (item: Item) => {
    client
      .call('sync.retry', { id: item.id })
      .catch((e: unknown) => setError(asClientError(e)))
      .finally(reload);
  };

  const partners = overview.status === 'ok' ? overview.data.partners : [];
  const items = overview.status === 'ok' ? overview.data.outbox : [];
  const attention = items.filter((i) => i.state === 'dead' || i.state === 'failed' || i.lastError !== null);
  const names = new Map(partners.map((p) => [p.partnerId, p.name]));

  return (
    <Page
      title="Partners"
      intro="Your wholesalers, manufacturers and customers, and how Custodia exchanges transaction data with them: shipments pulled from their EPCIS service, documents sent to them, and product verification."
    >
      {overview.status === 'error' ? <ErrorNotice error={overview.error} /> : null}
      {error ? <ErrorNotice error={error} /> : null}
      {progress !== null || syncing !== null ? (
        <div className="toolbar" data-testid="sync-progress">
          <Progress label={progress?.label ?? 'Syncing…'} done={progress?.done ?? 0} total={null} />
          <Button variant="ghost" onClick={() => void client.call('sync.cancel', {}).catch(() => undefined)}>
            Cancel
          </Button>
        </div>
      ) : null}
      {result !== null ? (
        <Notice kind="info" title="Sync finished" testId="sync-result">
          {result}
        </Notice>
      ) : null}
      <div className="toolbar">
        <Button variant="primary" onClick={() => setAdding({})}>
          Add a partner…
        </Button>
        {partners.length > 0 ? (
          <Button onClick={() => sync()} disabled={syncing !== null}>
            Sync all now
          </Button>
        ) : null}
      </div>
      {adding !== null ? (
        <PartnerEditor
          prefill={adding}
          onCancel={() => {
            setAdding(null);
            if (window.location.hash.startsWith('#/partners/new')) window.location.hash = '#/partners';
          }}
          onSaved={() => {
            setAdding(null);
            if (window.location.hash.startsWith('#/partners/new')) window.location.hash = '#/partners';
            reload();
          }}
        />
      ) : null}
      {overview.status === 'ok' && partners.length === 0 && adding === null ? (
        <p>
          No partner is connected yet. Add your wholesaler with the address of its EPCIS service and the
          credential it gave you; shipments addressed to your GLNs are then pulled in the background.
        </p>
      ) : null}
      <ul className="cards" aria-label="Trading partners">
        {partners.map((p) => (
          <PartnerCard
            key={p.partnerId}
            partner={p}
            busy={syncing !== null || p.syncing}
            testing={testing === p.partnerId}
            test={tests[p.partnerId]}
            onTest={() => test(p.partnerId)}
            onSync={() => sync(p.partnerId)}
          />
        ))}
      </ul>
      {partners.some((p) => p.verifyUrl !== null) ? (
        <VerifyPackage partners={partners.filter((p) => p.verifyUrl !== null)} onDone={reload} />
      ) : null}
      <section className="panel" aria-labelledby="outbox-title" data-testid="outbox">
        <h2 id="outbox-title">Sent and failed items</h2>
        {attention.length === 0 && items.length === 0 ? <p>Nothing has been sent to a partner yet.</p> : null}
        {items.length > 0 ? (
          <table className="table" aria-label="Outgoing items">
            <thead>
              <tr>
                <th>Item</th>
                <th>Partner</th>
                <th>State</th>
                <th>Why</th>
                <th>Queued</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.id} data-testid="outbox-item" data-state={i.state}>
                  <td>
                    {i.kind === 'verify' ? 'Verification: ' : ''}
                    {i.name}
                    {i.events > 0 ? <span className="field-hint"> ({i.events} events)</span> : null}
                  </td>
                  <td>{names.get(i.partnerId) ?? `Partner ${i.partnerId}`}</td>
                  <td>
                    <span
                      className={`pill pill-${i.state === 'dead' ? 'bad' : i.state === 'delivered' ? 'ok' : 'wait'}`}
                    >
                      {ITEM_STATE[i.state]}
                    </span>
                  </td>
                  <td>
                    {i.lastError ?? ''}
                    {i.attempts > 1 ? <span className="field-hint"> ({i.attempts} attempts)</span> : null}
                  </td>
                  <td>
                    {formatDateTime(i.enqueuedMs)} by {i.enqueuedBy}
                  </td>
                  <td>
                    {i.state === 'dead' ? (
                      <span className="row-buttons">
                        <Button variant="ghost" onClick={() => retry(i)}>
                          Retry
                        </Button>
                        <Button variant="ghost" onClick={() => setDismissing(i)}>
                          Dismiss…
                        </Button>
                      </span>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      <DismissDialog
        item={dismissing}
        printedName={me?.displayName ?? ''}
        onClose={() => setDismissing(null)}
        onDone={() => {
          setDismissing(null);
          reload();
        }}
      />
    </Page>
  );
}

function PartnerCard({
  partner: p,
  busy,
  testing,
  test,
  onTest,
  onSync,
}: {
  partner: PartnerView;
  busy: boolean;
  testing: boolean;
  test: TestReport | ClientError | undefined;
  onTest: () => void;
  onSync: () => void;
}) {
  const [kind, text] = p.syncing ? (['info', 'Syncing'] as const) : STATUS[p.status];
  return (
    <li
      className="card"
      data-testid="partner-card"
      style={{ borderLeftColor: kind === 'bad' ? 'var(--bad)' : kind === 'ok' ? 'var(--ok)' : 'var(--line)' }}
    >
      <div className="card-head">
        <strong>{p.name}</strong>
        <span className="field-hint">GLN {p.glns.join(', ')}</span>
        <span className={`pill pill-${kind}`} data-testid="partner-status">
          {text}
        </span>
      </div>
      {p.warnings.map((w) => (
        <Notice key={w} kind="warn" title={w} />
      ))}
      <dl className="facts">
        <dt>Last successful pull</dt>
        <dd>{p.lastSuccessMs === null ? 'Never' : formatDateTime(p.lastSuccessMs)}</dd>
        <dt>Outgoing</dt>
        <dd data-testid="partner-counts">
          {p.waiting} waiting, {p.failed} failed, {p.dead} dead letter{p.dead === 1 ? '' : 's'}
        </dd>
        <dt>Authorized</dt>
        <dd>
          {p.licence !== null
            ? `${p.licence}${p.licenceExpires !== null ? `, expires ${p.licenceExpires}` : ''}`
            : 'No licence recorded'}
        </dd>
        <dt>Connection</dt>
        <dd>{p.message}</dd>
      </dl>
      <details>
        <summary>Technical details</summary>
        <dl className="facts">
          <dt>EPCIS service</dt>
          <dd className="mono">{p.epcisUrl ?? 'none'}</dd>
          <dt>Verification service</dt>
          <dd className="mono">{p.verifyUrl ?? 'none'}</dd>
          <dt>Authentication</dt>
          <dd>
            {AUTH_TEXT[p.auth]}
            {p.hasClientCertificate ? '; client certificate (mutual TLS)' : ''}
            {p.hasCa ? '; partner CA' : ''}
            {p.pinned ? '; pinned certificate' : ''}
          </dd>
          <dt>TLS</dt>
          <dd data-testid="partner-tls">
            {p.tls === null
              ? 'Not connected yet'
              : `${p.tls.protocol ?? '?'}; certificate ${p.tls.subject ?? '?'} from ${p.tls.issuer ?? '?'}${p.tls.validToMs !== null ? `, valid until ${formatDateTime(p.tls.validToMs, 'date')}` : ''}`}
          </dd>
          <dt>EPCIS version</dt>
          <dd>{p.epcisVersion ?? 'Not known yet'}</dd>
          <dt>Pulled up to</dt>
          <dd className="mono">{p.cursor ?? 'Nothing pulled yet'}</dd>
        </dl>
      </details>
      {test !== undefined ? <TestResult report={test} /> : null}
      <div className="card-actions">
        <Button onClick={onTest} disabled={testing}>
          {testing ? 'Testing…' : 'Test connection'}
        </Button>
        <Button onClick={onSync} disabled={busy || p.epcisUrl === null}>
          Sync now
        </Button>
      </div>
    </li>
  );
}

function TestResult({ report }: { report: TestReport | ClientError }) {
  if (!('checks' in report)) return <ErrorNotice error={report} />;
  return (
    <Notice
      kind={report.ok ? 'ok' : 'error'}
      title={report.ok ? 'The connection works' : 'The connection has a problem'}
      testId="partner-test"
    >
      <ul className="compact">
        {report.checks.map((c) => (
          <li key={c.name}>
            {c.ok ? '✓' : '✗'} {c.detail}
          </li>
        ))}
      </ul>
    </Notice>
  );
}

function PartnerEditor({
  prefill,
  onCancel,
  onSaved,
}: {
  prefill: { gln?: string; name?: string };
  onCancel: () => void;
  onSaved: () => void;
}) {
  const client = useClient();
  const [name, setName] = useState(prefill.name ?? '');
  const [glns, setGlns] = useState(prefill.gln ?? '');
  const [role, setRole] = useState<SaveInput['role']>('wholesaler');
  const [authorized, setAuthorized] = useState(false);
  const [licence, setLicence] = useState('');
  const [licenceChecked, setLicenceChecked] = useState('');
  const [licenceExpires, setLicenceExpires] = useState('');
  const [epcisUrl, setEpcisUrl] = useState('');
  const [verifyUrl, setVerifyUrl] = useState('');
  const [auth, setAuth] = useState<NonNullable<SaveInput['auth']>>('none');
  const [tokenUrl, setTokenUrl] = useState('');
  const [clientId, setClientId] = useState('');
  const [secret, setSecret] = useState('');
  const [caPem, setCaPem] = useState('');
  const [clientCertPem, setClientCertPem] = useState('');
  const [clientKey, setClientKey] = useState('');
  const [error, setError] = useState<ClientError | null>(null);
  const [busy, setBusy] = useState(false);

  const save = () => {
    setBusy(true);
    setError(null);
    const text = (v: string) => (v.trim() === '' ? undefined : v.trim());
    const input: SaveInput = {
      name: name.trim(),
      role,
      glns: glns
        .split(/[\s,;]+/)
        .map((g) => g.trim())
        .filter((g) => g !== ''),
      authorized,
      auth,
      ...(text(licence) ? { licence: text(licence)! } : {}),
      ...(text(licenceChecked) ? { licenceChecked: text(licenceChecked)! } : {}),
      ...(text(licenceExpires) ? { licenceExpires: text(licenceExpires)! } : {}),
      ...(text(epcisUrl) ? { epcisUrl: text(epcisUrl)! } : {}),
      ...(text(verifyUrl) ? { verifyUrl: text(verifyUrl)! } : {}),
      ...(text(tokenUrl) ? { tokenUrl: text(tokenUrl)! } : {}),
      ...(text(clientId) ? { clientId: text(clientId)! } : {}),
      ...(secret !== '' ? { secret } : {}),
      ...(text(caPem) ? { caPem: caPem.trim() } : {}),
      ...(text(clientCertPem) ? { clientCertPem: clientCertPem.trim() } : {}),
      ...(text(clientKey) ? { clientKey: clientKey.trim() } : {}),
    };
    client
      .call('sync.savePartner', input)
      .then(() => onSaved())
      .catch((e: unknown) => setError(asClientError(e)))
      .finally(() => {
        // The secret is sent once, to the keychain, and not kept on screen.
        setSecret('');
        setClientKey('');
        setBusy(false);
      });
  };

  return (
    <section className="panel" aria-labelledby="partner-editor-title" data-testid="partner-editor">
      <h2 id="partner-editor-title">Add a trading partner</h2>
      {error ? <ErrorNotice error={error} /> : null}
      <form
        className="form form-wide"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (!busy) save();
        }}
      >
        <Row>
          <Field autoFocus label="Name" value={name} onChange={(e) => setName(e.target.value)} required />
          <Field
            label="GLN(s)"
            hint="The partner's 13-digit Global Location Number(s), separated by commas."
            value={glns}
            onChange={(e) => setGlns(e.target.value)}
            inputMode="numeric"
          />
          <SelectField
            label="Role"
            value={role}
            onChange={(e) => setRole(e.target.value as SaveInput['role'])}
          >
            <option value="wholesaler">Wholesale distributor</option>
            <option value="manufacturer">Manufacturer</option>
            <option value="repackager">Repackager</option>
            <option value="dispenser">Dispenser (pharmacy, clinic)</option>
            <option value="3pl">Third-party logistics provider</option>
            <option value="other">Other</option>
          </SelectField>
        </Row>
        <CheckboxField
          label="Authorized trading partner (licence or registration checked)"
          hint="FD&C Act §582(d)(3): record the state licence or the DEA/FDA registration you checked, where, and when it expires."
          checked={authorized}
          onChange={(e) => setAuthorized(e.target.checked)}
        />
        {authorized ? (
          <Row>
            <Field
              label="Licence or registration"
              value={licence}
              onChange={(e) => setLicence(e.target.value)}
            />
            <Field
              label="Checked at"
              hint="e.g. the state board's licence lookup"
              value={licenceChecked}
              onChange={(e) => setLicenceChecked(e.target.value)}
            />
            <Field
              label="Expires"
              type="date"
              value={licenceExpires}
              onChange={(e) => setLicenceExpires(e.target.value)}
            />
          </Row>
        ) : null}
        <Row>
          <Field
            label="EPCIS service address"
            hint="The base address of the partner's EPCIS 2.0 REST service (https://…)."
            value={epcisUrl}
            onChange={(e) => setEpcisUrl(e.target.value)}
          />
          <Field
            label="Verification service address"
            hint="The manufacturer's verification router (GS1 Lightweight Messaging), if any."
            value={verifyUrl}
            onChange={(e) => setVerifyUrl(e.target.value)}
          />
        </Row>
        <Row>
          <SelectField
            label="Authentication"
            value={auth}
            onChange={(e) => setAuth(e.target.value as typeof auth)}
          >
            <option value="none">None</option>
            <option value="bearer">Bearer token</option>
            <option value="basic">User name and password</option>
            <option value="oauth2">OAuth 2.0 client credentials</option>
          </SelectField>
          {auth === 'oauth2' ? (
            <Field label="Token address" value={tokenUrl} onChange={(e) => setTokenUrl(e.target.value)} />
          ) : null}
          {auth === 'basic' || auth === 'oauth2' ? (
            <Field
              label={auth === 'basic' ? 'User name' : 'Client id'}
              value={clientId}
              onChange={(e) => setClientId(e.target.value)}
            />
          ) : null}
          {auth !== 'none' ? (
            <Field
              label={auth === 'bearer' ? 'Token' : auth === 'basic' ? 'Password' : 'Client secret'}
              type="password"
              autoComplete="off"
              hint="Kept in this computer's keychain only; never shown again."
              value={secret}
              onChange={(e) => setSecret(e.target.value)}
            />
          ) : null}
        </Row>
        <details>
          <summary>Certificates (partner CA, mutual TLS)</summary>
          <TextAreaField
            label="Partner CA certificate (PEM)"
            hint="Only if the partner's server certificate is issued by its own authority."
            value={caPem}
            onChange={(e) => setCaPem(e.target.value)}
          />
          <TextAreaField
            label="Our client certificate (PEM)"
            value={clientCertPem}
            onChange={(e) => setClientCertPem(e.target.value)}
          />
          <TextAreaField
            label="Our client certificate's private key (PEM)"
            hint="Kept in this computer's keychain only."
            value={clientKey}
            onChange={(e) => setClientKey(e.target.value)}
          />
        </details>
        <div className="toolbar">
          <Button variant="primary" type="submit" disabled={busy || name.trim() === '' || glns.trim() === ''}>
            {busy ? 'Saving…' : 'Save partner'}
          </Button>
          <Button variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        </div>
      </form>
    </section>
  );
}

type Verification = OutputOf<Contract['sync.verify']>;

/** The LMS failure reasons in a pharmacist's words; the code itself stays beside them. */
const FAILURE_TEXT: Record<string, string> = {
  No_match_GTIN: 'the manufacturer does not know this product',
  No_match_GTIN_Serial: 'the manufacturer has no package with this serial number',
  No_match_GTIN_Serial_Lot: 'the serial number is not from this lot',
  No_match_GTIN_Serial_Lot_Expiry: 'the expiry date does not match the manufacturer’s',
};

/**
 * Verification of a package's product identifier with its manufacturer (GS1 Lightweight
 * Messaging): a saleable return before it is resold (§582(c)(4)(D)), or a package of suspect
 * product (§582(d)(4)(A)(ii)(II)). An answer that does not come within a second is shown as "no
 * answer yet", never as verified; Custodia asks again in the background with the same request id.
 */
function VerifyPackage({ partners, onDone }: { partners: PartnerView[]; onDone: () => void }) {
  const client = useClient();
  const [partnerId, setPartnerId] = useState(partners[0]!.partnerId);
  const [scan, setScan] = useState('');
  const [context, setContext] = useState<'dscsaSaleableReturn' | 'dscsaSuspectProduct'>(
    'dscsaSaleableReturn',
  );
  const [answer, setAnswer] = useState<Verification | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const [busy, setBusy] = useState(false);
  const verify = () => {
    setBusy(true);
    setError(null);
    setAnswer(null);
    client
      .call('sync.verify', { partnerId, scan, context })
      .then((r) => setAnswer(r))
      .catch((e: unknown) => setError(asClientError(e)))
      .finally(() => {
        setBusy(false);
        onDone();
      });
  };
  return (
    <section className="panel" aria-labelledby="verify-title" data-testid="verify-package">
      <h2 id="verify-title">Verify a package with its manufacturer</h2>
      <form
        className="form form-wide"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (!busy && scan.trim() !== '') verify();
        }}
      >
        <Row>
          <SelectField
            label="Manufacturer"
            value={partnerId}
            onChange={(e) => setPartnerId(Number(e.target.value))}
          >
            {partners.map((p) => (
              <option key={p.partnerId} value={p.partnerId}>
                {p.name}
              </option>
            ))}
          </SelectField>
          <SelectField
            label="Why"
            value={context}
            onChange={(e) => setContext(e.target.value as typeof context)}
          >
            <option value="dscsaSaleableReturn">Saleable return</option>
            <option value="dscsaSuspectProduct">Suspect product investigation</option>
          </SelectField>
        </Row>
        <Field
          label="Package barcode"
          hint="Scan the 2D barcode (GTIN, serial number, lot and expiry)."
          value={scan}
          onChange={(e) => setScan(e.target.value)}
        />
        <div className="toolbar">
          <Button variant="primary" type="submit" disabled={busy || scan.trim() === ''}>
            {busy ? 'Asking…' : 'Verify'}
          </Button>
        </div>
      </form>
      {error ? <ErrorNotice error={error} /> : null}
      {answer !== null ? (
        answer.status === 'verified' ? (
          <Notice kind="ok" title="Verified by the manufacturer" testId="verify-answer">
            GTIN {answer.gtin}, lot {answer.lot}
            {answer.additionalInfo ? ` (${answer.additionalInfo})` : ''}; answered by GLN{' '}
            {answer.responderGln ?? '?'}.
          </Notice>
        ) : answer.status === 'not-verified' ? (
          <Notice kind="error" title="Not verified: do not resell this package" testId="verify-answer">
            {FAILURE_TEXT[answer.failureReason ?? ''] ?? 'the manufacturer could not verify it'} (
            {answer.failureReason}){answer.additionalInfo ? ` (${answer.additionalInfo})` : ''}. Quarantine it
            and open an investigation.
          </Notice>
        ) : (
          <Notice kind="warn" title="No answer yet" testId="verify-answer">
            The manufacturer has not answered; Custodia asks again in the background (request{' '}
            {answer.corrUuid}). Treat the package as not verified until then.
          </Notice>
        )
      ) : null}
    </section>
  );
}

function DismissDialog({
  item,
  printedName,
  onClose,
  onDone,
}: {
  item: Item | null;
  printedName: string;
  onClose: () => void;
  onDone: () => void;
}) {
  const client = useClient();
  const [reason, setReason] = useState('');
  useEffect(() => setReason(''), [item]);
  return (
    <SignatureDialog
      open={item !== null}
      title={`Dismiss “${item?.name ?? ''}” without sending it`}
      meaning="dismissed"
      printedName={printedName}
      confirmLabel="Sign and dismiss"
      danger
      ready={reason.trim().length >= 5}
      onClose={onClose}
      onSign={async (password) => {
        if (item === null) return;
        await client.call('sync.dismiss', { id: item.id, reason: reason.trim(), password });
        onDone();
      }}
    >
      <p>
        The item is not sent again. Your name, the reason, the time and a hash of this item are recorded in
        the ledger and cannot be changed later.
      </p>
      <TextAreaField
        label="Reason"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        hint="At least 5 characters."
      />
    </SignatureDialog>
  );
}
