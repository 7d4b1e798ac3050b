import { useEffect, useState } from 'react';
import type { Contract, OutputOf } from '../../../core/api';
import type { ClientError } from '../../api/client';
import { useClient, useQuery } from '../../api/context';
import { splitError } from '../../forms/errors';
import { formatDateTime } from '../../forms/format';
import { can } from '../../session/roles';
import { useSession } from '../../session/SessionProvider';
import { Button } from '../../ui/Button';
import { CheckboxField, Field, Form, Row, SelectField } from '../../ui/Form';
import { ErrorNotice } from '../../ui/Notice';
import { useToast } from '../../ui/Toasts';

type Overview = OutputOf<Contract['arcos.overview']>;

/**
 * ARCOS (21 CFR 1304.33), for a registrant that reports to DEA: how often, which products and with
 * which DEA drug code, and the files already marked submitted. Each change is a signed ledger entry;
 * the Reports page makes the file.
 */
export function Arcos() {
  const session = useSession();
  const overview = useQuery('arcos.overview', {});
  return (
    <>
      <p className="field-hint">
        Distributors and manufacturers of Schedule I, II and narcotic III substances (and GHB, and DEA&apos;s
        selected psychotropics) report acquisitions and dispositions to ARCOS by the 15th of the month after
        each quarter. Make the file on the Reports page (ARCOS transaction report).
      </p>
      {overview.status === 'error' ? <ErrorNotice error={overview.error} /> : null}
      {overview.status === 'ok' ? (
        <>
          <h2>Reporting</h2>
          <ReportingForm
            settings={overview.data.settings}
            manage={can.manageSettings(session.principal)}
            onSaved={overview.reload}
          />
          <h2>Products reported</h2>
          <ProductForm
            known={overview.data.products}
            manage={can.manageProducts(session.principal)}
            onSaved={overview.reload}
          />
          <ProductsTable products={overview.data.products} />
          <h2>Files marked submitted to DEA</h2>
          <Submissions submissions={overview.data.submissions} />
        </>
      ) : null}
    </>
  );
}

function ReportingForm({
  settings,
  manage,
  onSaved,
}: {
  settings: Overview['settings'];
  manage: boolean;
  onSaved: () => void;
}) {
  const client = useClient();
  const toast = useToast();
  const [frequency, setFrequency] = useState<'quarterly' | 'monthly'>(settings?.frequency ?? 'quarterly');
  const [documentIdentifier, setDocumentIdentifier] = useState(settings?.documentIdentifier ?? '');
  const [error, setError] = useState<ClientError | null>(null);
  const save = async () => {
    setError(null);
    try {
      await client.call('arcos.setSettings', {
        frequency,
        documentIdentifier: documentIdentifier.trim() === '' ? null : documentIdentifier.trim().toUpperCase(),
      });
      toast('success', 'ARCOS reporting saved (a ledger entry records the change).');
      onSaved();
    } catch (failure) {
      setError(splitError(failure).general ?? (failure as ClientError));
    }
  };
  return (
    <Form onSubmit={() => void save()} label="ARCOS reporting" wide>
      <Row>
        <SelectField
          label="Reporting frequency"
          value={frequency}
          disabled={!manage}
          onChange={(e) => setFrequency(e.target.value as 'quarterly' | 'monthly')}
          hint="Quarterly unless DEA authorized monthly reporting in writing."
          data-testid="arcos-frequency"
        >
          <option value="quarterly">Quarterly</option>
          <option value="monthly">Monthly (authorized by DEA)</option>
        </SelectField>
        <Field
          label="Document identifier"
          value={documentIdentifier}
          disabled={!manage}
          maxLength={3}
          onChange={(e) => setDocumentIdentifier(e.target.value)}
          hint="Field 13 of every record (1–3 letters or digits), as DEA expects it from you."
          data-testid="arcos-document-identifier"
        />
      </Row>
      {error ? <ErrorNotice error={error} /> : null}
      {manage ? (
        <div className="toolbar">
          <Button type="submit" variant="primary" data-testid="arcos-settings-save">
            Save reporting
          </Button>
        </div>
      ) : (
        <p className="field-hint">An administrator changes these.</p>
      )}
    </Form>
  );
}

function ProductForm({
  known,
  manage,
  onSaved,
}: {
  known: Overview['products'];
  manage: boolean;
  onSaved: () => void;
}) {
  const client = useClient();
  const toast = useToast();
  const controlled = useQuery('products.list', { controlledOnly: true, limit: 500 });
  const [ndc, setNdc] = useState('');
  const [reportable, setReportable] = useState(true);
  const [drugCode, setDrugCode] = useState('');
  const [narcotic, setNarcotic] = useState(true);
  const [packageSize, setPackageSize] = useState('');
  const [bulk, setBulk] = useState(false);
  const [strength, setStrength] = useState('');
  const [error, setError] = useState<ClientError | null>(null);
  // Choosing a product already set shows what was recorded for it.
  useEffect(() => {
    const current = known.find((p) => p.ndc === ndc);
    setReportable(current?.reportable ?? true);
    setDrugCode(current?.drugCode ?? '');
    setNarcotic(current?.narcotic ?? true);
    setPackageSize(current?.packageSize != null ? String(current.packageSize) : '');
    setBulk(current?.bulk ?? false);
    setStrength(current?.strength ?? '');
  }, [ndc, known]);
  if (!manage) return null;
  const save = async () => {
    setError(null);
    try {
      await client.call('arcos.setProduct', {
        ndc,
        reportable,
        drugCode: drugCode.trim() === '' ? null : drugCode.trim(),
        narcotic,
        packageSize: packageSize.trim() === '' ? null : Number(packageSize),
        bulk,
        strength: strength.trim() === '' ? null : strength.trim(),
      });
      toast('success', 'ARCOS facts of the product saved (a ledger entry records the change).');
      onSaved();
    } catch (failure) {
      setError(splitError(failure).general ?? (failure as ClientError));
    }
  };
  return (
    <Form onSubmit={() => void save()} label="ARCOS product" wide>
      <Row>
        <SelectField
          label="Controlled product"
          value={ndc}
          onChange={(e) => setNdc(e.target.value)}
          data-testid="arcos-product"
        >
          <option value="">Choose…</option>
          {controlled.status === 'ok'
            ? controlled.data.products.map((p) => (
                <option key={p.ndc} value={p.ndc}>
                  {p.name} {p.strength} · NDC {p.ndc} · {p.schedule}
                </option>
              ))
            : null}
        </SelectField>
        <Field
          label="DEA drug code"
          value={drugCode}
          inputMode="numeric"
          maxLength={4}
          onChange={(e) => setDrugCode(e.target.value)}
          hint="Four digits, as 21 CFR 1308 lists it (9143 oxycodone, 9300 morphine)."
          data-testid="arcos-drug-code"
        />
        <Field
          label="Package size for ARCOS (optional)"
          value={packageSize}
          inputMode="decimal"
          onChange={(e) => setPackageSize(e.target.value)}
          hint="Units in one package; the product master's when empty."
        />
      </Row>
      <Row>
        <CheckboxField
          label="Reported to ARCOS"
          checked={reportable}
          onChange={(e) => setReportable(e.target.checked)}
        />
        <CheckboxField label="Narcotic" checked={narcotic} onChange={(e) => setNarcotic(e.target.checked)} />
        <CheckboxField
          label="Bulk product (NDC reported with **)"
          checked={bulk}
          onChange={(e) => setBulk(e.target.checked)}
        />
        {bulk ? (
          <Field
            label="Strength (4 digits)"
            value={strength}
            maxLength={4}
            onChange={(e) => setStrength(e.target.value)}
            hint="As DEA's example codes it (1000)."
          />
        ) : null}
      </Row>
      {error ? <ErrorNotice error={error} /> : null}
      <div className="toolbar">
        <Button type="submit" variant="primary" disabled={ndc === ''} data-testid="arcos-product-save">
          Save product
        </Button>
      </div>
    </Form>
  );
}

function ProductsTable({ products }: { products: Overview['products'] }) {
  if (products.length === 0)
    return <p className="field-hint">No product is marked yet: nothing will be in the ARCOS file.</p>;
  return (
    <table className="table" data-testid="arcos-products">
      <caption className="visually-hidden">Products with ARCOS facts</caption>
      <thead>
        <tr>
          <th>Drug</th>
          <th>NDC</th>
          <th>Schedule</th>
          <th>Reported</th>
          <th>DEA drug code</th>
          <th>Narcotic</th>
          <th>Package</th>
        </tr>
      </thead>
      <tbody>
        {products.map((p) => (
          <tr key={p.ndc}>
            <td>{p.name}</td>
            <td className="mono-ish">{p.bulk ? `${p.ndc} (bulk **)` : p.ndc}</td>
            <td>{p.schedule ?? '—'}</td>
            <td>{p.reportable ? 'Yes' : 'No'}</td>
            <td className="mono-ish">{p.drugCode ?? '—'}</td>
            <td>{p.narcotic ? 'Yes' : 'No'}</td>
            <td>{p.packageSize != null ? `${p.packageSize} ${p.unit}` : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Submissions({ submissions }: { submissions: Overview['submissions'] }) {
  if (submissions.length === 0)
    return (
      <p className="field-hint">
        None yet. After uploading a file to DEA, mark it submitted where you saved it on the Reports page.
      </p>
    );
  return (
    <table className="table" data-testid="arcos-submissions">
      <caption className="visually-hidden">ARCOS files marked submitted</caption>
      <thead>
        <tr>
          <th>Period</th>
          <th>Records</th>
          <th>Corrections</th>
          <th>Submitted by</th>
          <th>When</th>
          <th>DEA confirmation</th>
          <th>File</th>
        </tr>
      </thead>
      <tbody>
        {submissions.map((s) => (
          <tr key={s.seq}>
            <td>{s.period}</td>
            <td>{s.records}</td>
            <td>{s.corrections}</td>
            <td>{s.submittedBy}</td>
            <td>{formatDateTime(s.submittedAt)}</td>
            <td>{s.confirmation ?? '—'}</td>
            <td className="mono-ish" title={`SHA-256 ${s.sha256}`}>
              {s.fileName}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
