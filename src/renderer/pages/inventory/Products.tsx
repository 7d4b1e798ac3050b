import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import type { Contract, OutputOf } from '../../../core/api';
import type { ClientError } from '../../api/client';
import { useClient, useQuery, useReloadOn } from '../../api/context';
import { splitError, type FieldErrors } from '../../forms/errors';
import { qty } from '../../forms/format';
import { can } from '../../session/roles';
import { useSession } from '../../session/SessionProvider';
import { Button } from '../../ui/Button';
import { CheckboxField, Field, Form, Row, SelectField } from '../../ui/Form';
import { ErrorNotice, Notice } from '../../ui/Notice';
import { Table } from '../../ui/Table';
import { useToast } from '../../ui/Toasts';

type Product = OutputOf<Contract['products.get']>;
type ImportResult = OutputOf<Contract['products.importNdcDirectory']>;

const columns: ColumnDef<Product, unknown>[] = [
  { header: 'NDC', accessorKey: 'ndc', cell: (c) => <span className="mono">{c.row.original.ndc}</span> },
  {
    header: 'NDC 11',
    accessorKey: 'ndc11',
    cell: (c) => <span className="mono">{c.row.original.ndc11}</span>,
  },
  { header: 'Name', accessorKey: 'name' },
  { header: 'Strength', accessorKey: 'strength' },
  { header: 'Form', accessorKey: 'dosageForm' },
  {
    header: 'Package',
    accessorKey: 'packageSize',
    cell: (c) =>
      c.row.original.packageSize
        ? qty(c.row.original.packageSize, c.row.original.unit)
        : `? ${c.row.original.unit}`,
  },
  { header: 'Schedule', accessorKey: 'schedule', cell: (c) => c.row.original.schedule ?? 'not controlled' },
  { header: 'Source', accessorKey: 'source' },
];

const EMPTY = {
  ndc: '',
  name: '',
  strength: '',
  dosageForm: '',
  packageSize: '',
  unit: 'tablet',
  // No default: a person says the schedule, "not controlled" included, every time.
  schedule: '',
};

/** The product master: products by NDC, typed in or loaded from FDA's NDC directory files. */
export function Products() {
  const client = useClient();
  const session = useSession();
  const toast = useToast();
  const [query, setQuery] = useState('');
  const [controlledOnly, setControlledOnly] = useState(true);
  const list = useQuery('products.list', {
    ...(query.trim() ? { query: query.trim() } : {}),
    controlledOnly,
    limit: 200,
  });
  const [draft, setDraft] = useState(EMPTY);
  // Bumped on each product added: the partner-file list drops what was just confirmed.
  const [added, setAdded] = useState(0);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [addError, setAddError] = useState<ClientError | null>(null);
  const [productFile, setProductFile] = useState<File>();
  const [packageFile, setPackageFile] = useState<File>();
  const [scheduledOnly, setScheduledOnly] = useState(true);
  const [importing, setImporting] = useState(false);
  const [imported, setImported] = useState<ImportResult>();
  const [importError, setImportError] = useState<ClientError | null>(null);
  const manage = can.manageProducts(session.principal);

  const add = async () => {
    setAddError(null);
    try {
      const product = await client.call('products.add', {
        ndc: draft.ndc.trim(),
        name: draft.name.trim(),
        strength: draft.strength.trim(),
        dosageForm: draft.dosageForm.trim(),
        packageSize: draft.packageSize ? Number(draft.packageSize) : null,
        unit: draft.unit.trim(),
        schedule: draft.schedule !== 'none' ? (draft.schedule as NonNullable<Product['schedule']>) : null,
      });
      toast('success', `${product.name} added as NDC ${product.ndc}.`);
      setDraft(EMPTY);
      setErrors({});
      setAdded((n) => n + 1);
      list.reload();
    } catch (failure) {
      const split = splitError(failure, { ruleFields: { 'ndc-format': 'ndc', 'unique-ndc': 'ndc' } });
      setErrors(split.fields);
      setAddError(split.general);
    }
  };

  const importFiles = async () => {
    if (!productFile) return;
    setImporting(true);
    setImportError(null);
    setImported(undefined);
    try {
      const productTxt = await productFile.text();
      const packageTxt = packageFile ? await packageFile.text() : undefined;
      const result = await client.call('products.importNdcDirectory', {
        productTxt,
        ...(packageTxt ? { packageTxt } : {}),
        scheduledOnly,
      });
      setImported(result);
      list.reload();
    } catch (failure) {
      setImportError(splitError(failure).general);
    } finally {
      setImporting(false);
    }
  };

  const set = (key: keyof typeof EMPTY) => (e: { target: { value: string } }) =>
    setDraft({ ...draft, [key]: e.target.value });
  return (
    <>
      <div className="filters">
        <Field label="Search NDC or name" value={query} onChange={(e) => setQuery(e.target.value)} />
        <CheckboxField
          label="Controlled only"
          checked={controlledOnly}
          onChange={(e) => setControlledOnly(e.target.checked)}
        />
      </div>
      {list.status === 'error' ? <ErrorNotice error={list.error} /> : null}
      {list.status === 'ok' ? (
        <>
          <Table
            caption="Product master"
            columns={columns}
            data={list.data.products}
            empty="No products match."
          />
          <p className="field-hint">
            {list.data.total > list.data.products.length
              ? `Showing ${list.data.products.length} of ${list.data.total}; search to narrow.`
              : `${list.data.total} product(s).`}
          </p>
        </>
      ) : null}

      <FromPartnerFiles
        manage={manage}
        onConfirm={(p) => {
          setDraft({
            ...EMPTY,
            ndc: p.ndc ?? '',
            name: p.name ?? '',
            strength: p.strength ?? '',
            dosageForm: p.dosageForm ?? '',
          });
          setErrors({});
          document.getElementById('add-product')?.scrollIntoView();
        }}
        generation={added}
      />
      {manage ? (
        <div className="columns">
          <section className="panel" aria-labelledby="add-product">
            <h2 id="add-product">Add a product</h2>
            <Form onSubmit={add} label="Add a product">
              <Field
                label="Package NDC"
                value={draft.ndc}
                onChange={set('ndc')}
                hint="Hyphenated 10-digit (e.g. 0555-0767-02) or the 11-digit billing form."
                error={errors.ndc}
              />
              <Field label="Name" value={draft.name} onChange={set('name')} error={errors.name} />
              <Row>
                <Field
                  label="Strength"
                  value={draft.strength}
                  onChange={set('strength')}
                  error={errors.strength}
                />
                <Field
                  label="Dosage form"
                  value={draft.dosageForm}
                  onChange={set('dosageForm')}
                  error={errors.dosageForm}
                />
              </Row>
              <Row>
                <Field
                  label="Package size"
                  type="number"
                  min={0}
                  step="any"
                  value={draft.packageSize}
                  onChange={set('packageSize')}
                  error={errors.packageSize}
                />
                <Field
                  label="Unit"
                  value={draft.unit}
                  onChange={set('unit')}
                  hint="tablet, capsule, mL …"
                  error={errors.unit}
                />
                <SelectField label="DEA schedule" value={draft.schedule} onChange={set('schedule')}>
                  <option value="" disabled>
                    Choose…
                  </option>
                  <option value="CII">II</option>
                  <option value="CIII">III</option>
                  <option value="CIV">IV</option>
                  <option value="CV">V</option>
                  <option value="CI">I</option>
                  <option value="none">Not controlled</option>
                </SelectField>
              </Row>
              {addError ? <ErrorNotice error={addError} /> : null}
              <div className="form-actions">
                <Button
                  variant="primary"
                  type="submit"
                  disabled={!draft.ndc || !draft.name || !draft.dosageForm || !draft.schedule}
                >
                  Add product
                </Button>
              </div>
            </Form>
          </section>
          <section className="panel" aria-labelledby="import-ndc">
            <h2 id="import-ndc">Import the FDA NDC directory</h2>
            <p className="field-hint">
              FDA’s NDC directory text files: product.txt (tab-separated, with the DEASCHEDULE column) and,
              for package NDCs and sizes, package.txt. NDCs already here are kept as they are.
            </p>
            <Form onSubmit={importFiles} label="Import the FDA NDC directory">
              <Field
                label="product.txt"
                type="file"
                accept=".txt,.tsv,text/plain"
                onChange={(e) => setProductFile(e.target.files?.[0])}
              />
              <Field
                label="package.txt (recommended)"
                type="file"
                accept=".txt,.tsv,text/plain"
                onChange={(e) => setPackageFile(e.target.files?.[0])}
              />
              <CheckboxField
                label="Only products with a DEA schedule"
                checked={scheduledOnly}
                onChange={(e) => setScheduledOnly(e.target.checked)}
              />
              {importError ? <ErrorNotice error={importError} /> : null}
              <div className="form-actions">
                <Button variant="primary" type="submit" disabled={!productFile || importing}>
                  {importing ? 'Importing…' : 'Import'}
                </Button>
              </div>
            </Form>
            {imported ? (
              <Notice
                kind={imported.skipped.length ? 'warn' : 'ok'}
                title={`${imported.added} added, ${imported.alreadyPresent} already present, ${imported.skipped.length} skipped.`}
                testId="ndc-import-result"
              >
                {imported.skipped.length ? (
                  <ul className="compact">
                    {imported.skipped.slice(0, 50).map((s) => (
                      <li key={`${s.file}:${s.line}`}>
                        {s.file} line {s.line}: {s.reason}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </Notice>
            ) : null}
          </section>
        </div>
      ) : (
        <p className="field-hint">Pharmacists, compliance officers and administrators add products.</p>
      )}
    </>
  );
}

type FromFile = OutputOf<Contract['products.fromPartnerFiles']>['products'][number];

/**
 * Drugs partner files named that the product list does not hold yet, flagged for a person to
 * confirm: the master data gives the NDC, name, strength and form; whether it is a controlled
 * substance, and in which schedule, is a person's decision (21 CFR 1308), never a default.
 */
function FromPartnerFiles({
  manage,
  onConfirm,
  generation,
}: {
  manage: boolean;
  onConfirm: (p: FromFile) => void;
  generation: number;
}) {
  const found = useQuery('products.fromPartnerFiles', {});
  const { reload } = found;
  useReloadOn(generation, reload);
  if (found.status === 'error') return <ErrorNotice error={found.error} />;
  if (found.status !== 'ok' || found.data.products.length === 0) return null;
  return (
    <section className="panel from-files" aria-labelledby="from-files" data-testid="from-partner-files">
      <h2 id="from-files">From partner files: confirm the DEA schedule ({found.data.products.length})</h2>
      <p className="field-hint">
        These drugs arrived in partner files but are not in the product list. Check each one&apos;s schedule
        on its label or in the NDC directory, then add it.
      </p>
      <table className="table">
        <caption className="visually-hidden">Drugs from partner files, not yet in the product list</caption>
        <thead>
          <tr>
            <th scope="col">Drug</th>
            <th scope="col">NDC</th>
            <th scope="col">Maker</th>
            <th scope="col">
              <span className="visually-hidden">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {found.data.products.map((p) => (
            <tr key={p.gtin} data-testid="from-file-product">
              <td>
                {[p.name, p.strength, p.dosageForm].filter(Boolean).join(' ') || '—'}{' '}
                <span className="pill pill-warn">schedule to confirm</span>
              </td>
              <td className="mono">{p.ndc ?? '—'}</td>
              <td>{p.manufacturer ?? '—'}</td>
              <td>
                {manage ? (
                  <Button onClick={() => onConfirm(p)}>Confirm and add…</Button>
                ) : (
                  <span className="field-hint">A pharmacist confirms</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
