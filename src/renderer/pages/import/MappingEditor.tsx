import { useEffect, useMemo, useState } from 'react';
import type { Contract, InputOf, OutputOf } from '../../../core/api';
import { asClientError, type ClientError } from '../../api/client';
import { useClient, useQuery } from '../../api/context';
import { Button } from '../../ui/Button';
import { Field, SelectField } from '../../ui/Form';
import { ErrorNotice, Notice } from '../../ui/Notice';
import { useToast } from '../../ui/Toasts';
import { csvHeader, type Delimiter } from './csvHeader';
import { PartnerForm } from './PartnerForm';

type Mapping = InputOf<Contract['partners.saveMapping']>['mapping'];
type Fields = OutputOf<Contract['partners.mappingFields']>;
type Kind = Mapping['kind'];
type DateFormat = NonNullable<Mapping['dateFormat']>;

const T3_LABEL: Record<string, string> = {
  reference: 'Shipment reference',
  po: 'Purchase order',
  invoice: 'Invoice',
  transactionDate: 'Transaction date',
  shipDate: 'Ship date',
  sellerName: 'Seller name',
  sellerAddress: 'Seller address',
  sellerGln: 'Seller GLN',
  buyerName: 'Buyer name',
  buyerAddress: 'Buyer address',
  buyerGln: 'Buyer GLN',
  shipToGln: 'Ship-to GLN',
  shipToName: 'Ship-to name',
  productName: 'Product name',
  strength: 'Strength',
  dosageForm: 'Dosage form',
  ndc: 'NDC',
  gtin: 'GTIN',
  containerSize: 'Container size',
  quantity: 'Quantity',
  lot: 'Lot',
  expiry: 'Expiry',
  serial: 'Serial number',
  sscc: 'SSCC',
  statement: 'Transaction statement affirmed',
};
const DATE_FORMATS: DateFormat[] = ['YYYY-MM-DD', 'MM/DD/YYYY', 'DD/MM/YYYY', 'YYYYMMDD'];
const DELIMITERS: { value: Delimiter | ''; label: string }[] = [
  { value: '', label: 'Detect' },
  { value: ',', label: 'Comma' },
  { value: ';', label: 'Semicolon' },
  { value: '\t', label: 'Tab' },
  { value: '|', label: 'Vertical bar' },
];

interface Draft {
  name: string;
  kind: Kind;
  cte: string;
  delimiter: Delimiter | '';
  dateFormat: DateFormat;
  columns: Record<string, string>;
  statementTrue: string;
}

const EMPTY: Draft = {
  name: '',
  kind: 'dscsa-t3',
  cte: 'receiving',
  delimiter: '',
  dateFormat: 'YYYY-MM-DD',
  columns: {},
  statementTrue: 'yes, y, true, 1, x',
};

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * A partner's CSV column mapping: which column of their spreadsheet holds each T3 field or FSMA 204
 * KDE. Loading a sample file offers its headers and matches the obvious ones. The core validates the
 * mapping with the same schema the importer reads it with.
 */
export function MappingEditor({ onChanged }: { onChanged: () => void }) {
  const client = useClient();
  const toast = useToast();
  const partners = useQuery('partners.list', {});
  const fields = useQuery('partners.mappingFields', {});
  const [partnerId, setPartnerId] = useState('');
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [headers, setHeaders] = useState<string[]>([]);
  const [problems, setProblems] = useState<string[]>([]);
  const [error, setError] = useState<ClientError | null>(null);
  const [busy, setBusy] = useState(false);
  const [adding, setAdding] = useState(false);

  const list = useMemo(
    () => (partners.status === 'ok' ? partners.data.partners.filter((p) => p.role !== 'self') : []),
    [partners],
  );
  const partner = list.find((p) => String(p.id) === partnerId);
  const keys = useMemo(
    () => mappingKeys(fields.status === 'ok' ? fields.data : undefined, draft),
    [fields, draft],
  );

  useEffect(() => {
    if (partnerId === '' && list[0]) setPartnerId(String(list[0].id));
  }, [list, partnerId]);

  const load = async (id: number, name: string) => {
    setError(null);
    try {
      const { mapping } = await client.call('partners.mapping', { id });
      setDraft({
        name,
        kind: mapping.kind,
        cte: mapping.kind === 'fsma-kde' ? mapping.cte : 'receiving',
        delimiter: mapping.delimiter ?? '',
        dateFormat: mapping.dateFormat ?? (mapping.kind === 'fsma-kde' ? 'MM/DD/YYYY' : 'YYYY-MM-DD'),
        columns: { ...(mapping.columns as Record<string, string>) },
        statementTrue:
          mapping.kind === 'dscsa-t3' ? (mapping.statementColumnTrue ?? []).join(', ') : EMPTY.statementTrue,
      });
      setProblems([]);
    } catch (e) {
      setError(asClientError(e));
    }
  };

  const sample = async (file: File) => {
    const text = await file.slice(0, 64 * 1024).text();
    const { headers: found, delimiter } = csvHeader(text, draft.delimiter || undefined);
    setHeaders(found);
    // Pre-fill what matches by name; the person checks and corrects the rest.
    const columns = { ...draft.columns };
    for (const key of keys) {
      if (columns[key.key]) continue;
      const match = found.find((h) => norm(h) === norm(key.key) || norm(h) === norm(key.label));
      if (match) columns[key.key] = match;
    }
    setDraft({ ...draft, delimiter, columns });
  };

  const save = async () => {
    const found = check(draft);
    setProblems(found);
    setError(null);
    if (found.length > 0 || partner === undefined) return;
    setBusy(true);
    try {
      const columns = Object.fromEntries(
        Object.entries(draft.columns).filter(([k, v]) => v.trim() !== '' && keys.some((x) => x.key === k)),
      );
      const common = {
        ...(draft.delimiter ? { delimiter: draft.delimiter } : {}),
        dateFormat: draft.dateFormat,
        columns,
      };
      const mapping: Mapping =
        draft.kind === 'dscsa-t3'
          ? {
              kind: 'dscsa-t3',
              ...common,
              statementColumnTrue: draft.statementTrue
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean),
            }
          : { kind: 'fsma-kde', cte: draft.cte as Extract<Mapping, { kind: 'fsma-kde' }>['cte'], ...common };
      await client.call('partners.saveMapping', { partnerId: partner.id, name: draft.name.trim(), mapping });
      toast('success', `Mapping “${draft.name.trim()}” saved for ${partner.name}.`);
      partners.reload();
      onChanged();
    } catch (e) {
      setError(asClientError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="mappings-title">
      <h2 id="mappings-title">CSV column mappings</h2>
      <p className="page-intro">
        Each partner's spreadsheet names its columns its own way. Say once which column holds what; every CSV
        from that partner is then read with it.
      </p>
      {partners.status === 'error' ? <ErrorNotice error={partners.error} /> : null}
      {fields.status === 'error' ? <ErrorNotice error={fields.error} /> : null}
      <div className="filters">
        <SelectField
          label="Trading partner"
          value={partnerId}
          onChange={(e) => {
            setPartnerId(e.target.value);
            setDraft(EMPTY);
          }}
        >
          {list.length === 0 ? <option value="">No trading partner yet</option> : null}
          {list.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
              {p.authorized ? '' : ' (not authorized)'}
            </option>
          ))}
        </SelectField>
        <Button onClick={() => setAdding((a) => !a)} aria-expanded={adding}>
          {adding ? 'Close' : 'Add a trading partner…'}
        </Button>
      </div>
      {adding ? (
        <PartnerForm
          onSaved={(id) => {
            setAdding(false);
            partners.reload();
            setPartnerId(String(id));
            onChanged();
          }}
        />
      ) : null}
      {partner ? (
        <>
          <p>
            Saved mappings for {partner.name}:{' '}
            {partner.mappings.length === 0
              ? 'none yet.'
              : partner.mappings.map((m, i) => (
                  <span key={m.id}>
                    {i > 0 ? ', ' : ''}
                    <button className="linklike" onClick={() => void load(m.id, m.name)}>
                      {m.name}
                    </button>{' '}
                    ({m.kind === 'dscsa-t3' ? 'T3' : 'FSMA 204'})
                  </span>
                ))}
          </p>
          <form
            className="form form-wide mapping-form"
            aria-label="Column mapping"
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              void save();
            }}
          >
            <div className="form-row">
              <Field
                label="Mapping name"
                value={draft.name}
                onChange={(e) => setDraft({ ...draft, name: e.target.value })}
                placeholder="e.g. weekly T3 export"
              />
              <SelectField
                label="Kind of spreadsheet"
                value={draft.kind}
                onChange={(e) => {
                  const kind = e.target.value as Kind;
                  setDraft({ ...draft, kind, dateFormat: kind === 'fsma-kde' ? 'MM/DD/YYYY' : 'YYYY-MM-DD' });
                }}
              >
                <option value="dscsa-t3">DSCSA lot-level T3 (transaction information)</option>
                <option value="fsma-kde">FSMA 204 key data elements</option>
              </SelectField>
              {draft.kind === 'fsma-kde' ? (
                <SelectField
                  label="Critical tracking event"
                  value={draft.cte}
                  onChange={(e) => setDraft({ ...draft, cte: e.target.value })}
                >
                  {Object.keys(fields.status === 'ok' ? fields.data.fsma : {}).map((cte) => (
                    <option key={cte} value={cte}>
                      {cte.replace(/-/g, ' ')}
                    </option>
                  ))}
                </SelectField>
              ) : null}
            </div>
            <div className="form-row">
              <SelectField
                label="Delimiter"
                value={draft.delimiter}
                onChange={(e) => setDraft({ ...draft, delimiter: e.target.value as Delimiter | '' })}
              >
                {DELIMITERS.map((d) => (
                  <option key={d.label} value={d.value}>
                    {d.label}
                  </option>
                ))}
              </SelectField>
              <SelectField
                label="Dates are written"
                value={draft.dateFormat}
                onChange={(e) => setDraft({ ...draft, dateFormat: e.target.value as DateFormat })}
              >
                {DATE_FORMATS.map((f) => (
                  <option key={f} value={f}>
                    {f}
                  </option>
                ))}
              </SelectField>
              <div className="field">
                <label htmlFor="mapping-sample">Sample file (to offer its columns)</label>
                <input
                  id="mapping-sample"
                  type="file"
                  accept=".csv,.txt,.tsv,text/csv"
                  onChange={(e) => {
                    const file = e.target.files?.[0];
                    if (file) void sample(file);
                  }}
                />
              </div>
            </div>
            {headers.length > 0 ? (
              <p className="field-hint" data-testid="sample-headers">
                Columns in the sample: {headers.join(' · ')}
              </p>
            ) : null}
            <table className="table mapping-table">
              <caption className="visually-hidden">Which column holds each field</caption>
              <thead>
                <tr>
                  <th scope="col">Field</th>
                  <th scope="col">Column in the partner's file</th>
                </tr>
              </thead>
              <tbody>
                {keys.map((k) => (
                  <tr key={k.key}>
                    <td>
                      <label htmlFor={`col-${k.key}`}>
                        {k.label}
                        {k.required ? <span className="required"> (required)</span> : null}
                      </label>
                      {k.cite ? <div className="field-hint">{k.cite}</div> : null}
                    </td>
                    <td>
                      {headers.length > 0 ? (
                        <select
                          id={`col-${k.key}`}
                          value={draft.columns[k.key] ?? ''}
                          onChange={(e) =>
                            setDraft({ ...draft, columns: { ...draft.columns, [k.key]: e.target.value } })
                          }
                        >
                          <option value="">Not in this file</option>
                          {headers.map((h) => (
                            <option key={h} value={h}>
                              {h}
                            </option>
                          ))}
                        </select>
                      ) : (
                        <input
                          id={`col-${k.key}`}
                          value={draft.columns[k.key] ?? ''}
                          placeholder="column header"
                          onChange={(e) =>
                            setDraft({ ...draft, columns: { ...draft.columns, [k.key]: e.target.value } })
                          }
                        />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {draft.kind === 'dscsa-t3' ? (
              <Field
                label="Statement cells that mean “affirmed”"
                value={draft.statementTrue}
                hint="Comma-separated; compared without case."
                onChange={(e) => setDraft({ ...draft, statementTrue: e.target.value })}
              />
            ) : null}
            {problems.length > 0 ? (
              <Notice kind="error" title="The mapping is not complete" testId="mapping-problems">
                <ul>
                  {problems.map((p) => (
                    <li key={p}>{p}</li>
                  ))}
                </ul>
              </Notice>
            ) : null}
            {error ? <ErrorNotice error={error} /> : null}
            <div className="toolbar">
              <Button variant="primary" type="submit" disabled={busy}>
                {busy ? 'Saving…' : 'Save mapping'}
              </Button>
              <Button variant="ghost" onClick={() => setDraft(EMPTY)}>
                Start over
              </Button>
            </div>
          </form>
        </>
      ) : (
        <p className="field-hint">Add the trading partner first; its mappings are saved with it.</p>
      )}
    </section>
  );
}

interface Key {
  key: string;
  label: string;
  cite?: string;
  required: boolean;
}

function mappingKeys(fields: Fields | undefined, draft: Draft): Key[] {
  if (fields === undefined) return [];
  if (draft.kind === 'dscsa-t3') {
    return fields.t3.map((f) => ({
      key: f,
      label: T3_LABEL[f] ?? f,
      required: f === 'quantity' || f === 'lot',
    }));
  }
  return (fields.fsma[draft.cte] ?? []).flatMap((spec) =>
    spec.parts.map((part) => ({
      key: part,
      label: spec.parts.length > 1 ? `${spec.label}: ${part.split('.').pop() ?? part}` : spec.label,
      cite: spec.cite,
      required: false,
    })),
  );
}

/** The same rules the core's schema enforces, said before the round trip. */
function check(draft: Draft): string[] {
  const problems: string[] = [];
  const has = (k: string) => (draft.columns[k] ?? '').trim() !== '';
  if (draft.name.trim() === '') problems.push('Give the mapping a name.');
  if (draft.kind === 'dscsa-t3') {
    if (!has('quantity')) problems.push('Say which column holds the quantity.');
    if (!has('lot')) problems.push('Say which column holds the lot.');
    if (!has('ndc') && !has('gtin')) problems.push('Say which column holds the NDC or the GTIN.');
  } else if (!Object.values(draft.columns).some((v) => v.trim() !== '')) {
    problems.push('Map at least the traceability lot code column.');
  }
  return problems;
}
