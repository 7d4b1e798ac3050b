import { useState, type DragEvent } from 'react';
import type { Contract, InputOf, OutputOf } from '../../core/api';
import { asClientError, type ClientError } from '../api/client';
import { useClient, useQuery } from '../api/context';
import { formatDateTime } from '../forms/format';
import { Button } from '../ui/Button';
import { Field, SelectField } from '../ui/Form';
import { ErrorNotice, Notice } from '../ui/Notice';
import { Page } from './Page';
import { MarkArcosSubmitted } from './reports/MarkArcosSubmitted';
import './Reports.css';

type Kinds = OutputOf<Contract['reports.kinds']>;
type Kind = Kinds['kinds'][number];
type Preview = OutputOf<Contract['reports.preview']>;
type Generated = OutputOf<Contract['reports.generate']>;
type Generation = OutputOf<Contract['reports.history']>['generations'][number];
type Request = InputOf<Contract['reports.generate']>;
type Format = Request['format'];

/** What each file type is for, in the words of the person sending it. */
const FORMAT_LABELS: Record<Format, string> = {
  pdf: 'PDF — to print, email or fax',
  xlsx: 'Excel spreadsheet (.xlsx)',
  csv: 'CSV spreadsheet',
  jsonld: "EPCIS JSON-LD — for a partner's or the FDA's system",
  xml: "EPCIS XML — for a partner's or the FDA's system",
  txt: 'Fixed-width text — the ARCOS file to upload to DEA',
};

export function Reports() {
  const kinds = useQuery('reports.kinds', {});
  const history = useQuery('reports.history', { limit: 50 });
  return (
    <Page
      title="Reports"
      intro="What the FDA, your state board or a trading partner asks you for. Every report states the signed ledger checkpoint it came from, and each one you save is itself recorded in the ledger."
    >
      {kinds.status === 'error' ? <ErrorNotice error={kinds.error} /> : null}
      {kinds.status === 'ok' ? (
        <ReportForm
          kinds={kinds.data}
          onSaved={() => {
            history.reload();
            kinds.reload();
          }}
        />
      ) : null}
      <CheckFile />
      <section aria-labelledby="history-title" className="reports-history">
        <h2 id="history-title">Reports generated</h2>
        {history.status === 'error' ? <ErrorNotice error={history.error} /> : null}
        {history.status === 'ok' ? (
          <History
            generations={history.data.generations}
            titles={new Map((kinds.status === 'ok' ? kinds.data.kinds : []).map((k) => [k.id, k.title]))}
          />
        ) : null}
      </section>
    </Page>
  );
}

function ReportForm({ kinds, onSaved }: { kinds: Kinds; onSaved: () => void }) {
  const client = useClient();
  const [kindId, setKindId] = useState(kinds.kinds[0]?.id ?? '');
  const kind = kinds.kinds.find((k) => k.id === kindId);
  const [params, setParams] = useState<Record<string, string>>({});
  const [format, setFormat] = useState<Format>((kind?.formats[0] ?? 'pdf') as Format);
  const [at, setAt] = useState('');
  const [busy, setBusy] = useState<'preview' | 'save' | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [saved, setSaved] = useState<Generated | null>(null);

  const choose = (k: Kind) => {
    setKindId(k.id);
    setFormat(k.formats[0] as Format);
    setParams({});
    setPreview(null);
    setSaved(null);
    setError(null);
  };
  const request = (): Request => {
    const given = Object.fromEntries(Object.entries(params).filter(([, v]) => v.trim() !== ''));
    const size = Number(at);
    return {
      kind: kindId,
      format,
      params: given,
      ...(at.trim() !== '' && Number.isSafeInteger(size) && size > 0 ? { at: size } : {}),
    };
  };
  const run = async (what: 'preview' | 'save') => {
    setBusy(what);
    setError(null);
    try {
      if (what === 'preview') {
        setPreview(await client.call('reports.preview', request()));
      } else {
        setSaved(await client.call('reports.generate', request()));
        onSaved();
      }
    } catch (e) {
      setError(asClientError(e));
    } finally {
      setBusy(null);
    }
  };

  const families = [...new Set(kinds.kinds.map((k) => k.family))];
  return (
    <div className="reports-layout">
      <form
        className="reports-form"
        aria-label="Report"
        onSubmit={(event) => {
          event.preventDefault();
          void run('preview');
        }}
      >
        <fieldset>
          <legend>What were you asked for?</legend>
          {families.map((family) => (
            <div key={family} className="report-family">
              <h3>{family}</h3>
              {kinds.kinds
                .filter((k) => k.family === family)
                .map((k) => (
                  <label key={k.id} className={`report-kind ${k.id === kindId ? 'report-kind-chosen' : ''}`}>
                    <input
                      type="radio"
                      name="report-kind"
                      value={k.id}
                      checked={k.id === kindId}
                      onChange={() => choose(k)}
                      data-testid={`kind-${k.id}`}
                    />
                    <span>
                      <strong>{k.title}</strong>
                      <small>{k.summary}</small>
                    </span>
                  </label>
                ))}
            </div>
          ))}
        </fieldset>
        {kind ? (
          <fieldset>
            <legend>For what</legend>
            {kind.fields.map((f) => (
              <Field
                key={f.field}
                label={f.label}
                hint={f.hint}
                name={f.field}
                value={params[f.field] ?? ''}
                onChange={(event) => setParams({ ...params, [f.field]: event.target.value })}
                data-testid={`param-${f.field}`}
              />
            ))}
            <SelectField
              label="File type"
              value={format}
              onChange={(event) => setFormat(event.target.value as Format)}
              data-testid="report-format"
            >
              {kind.formats.map((f) => (
                <option key={f} value={f}>
                  {FORMAT_LABELS[f as Format]}
                </option>
              ))}
            </SelectField>
            <Field
              label="As of an earlier checkpoint (optional)"
              hint={`Leave empty for now${kinds.checkpoint ? ` (checkpoint ${kinds.checkpoint.size})` : ''}; give a tree size to regenerate a report exactly as it was then.`}
              inputMode="numeric"
              value={at}
              onChange={(event) => setAt(event.target.value)}
              data-testid="report-at"
            />
          </fieldset>
        ) : null}
        <div className="toolbar">
          <Button type="submit" disabled={busy !== null || !kind} data-testid="report-preview">
            {busy === 'preview' ? 'Preparing preview…' : 'Preview'}
          </Button>
          <Button
            variant="primary"
            disabled={busy !== null || !kind}
            onClick={() => void run('save')}
            data-testid="report-save"
          >
            {busy === 'save' ? 'Saving…' : 'Save report'}
          </Button>
        </div>
        {busy === 'save' ? (
          <p role="status" className="field-hint">
            Recording this report in the ledger before handing it over. If an import is running, this waits
            for it to finish.
          </p>
        ) : null}
        {error ? <ErrorNotice error={error} /> : null}
        {saved ? <Saved saved={saved} /> : null}
      </form>
      <div className="reports-preview" aria-live="polite">
        {preview ? (
          <PreviewSheet preview={preview} format={format} />
        ) : (
          <p className="field-hint">
            Preview shows the first page: what was asked, the first rows of each part, and the checkpoint the
            report is stamped with.
          </p>
        )}
      </div>
    </div>
  );
}

function Saved({ saved }: { saved: Generated }) {
  const client = useClient();
  const link = client.exportLink(saved.path);
  return (
    <Notice kind="ok" title="Report saved and recorded in the ledger" testId="report-saved">
      <p>
        {link ? (
          <a href={link.href} download={link.name} data-testid="report-download">
            Download {saved.fileName}
          </a>
        ) : (
          <>
            Saved to <span className="mono">{saved.path}</span>
          </>
        )}{' '}
        ({saved.bytes.toLocaleString()} bytes){saved.empty ? ' — it says that nothing matched.' : '.'}
      </p>
      <p>
        SHA-256 <span className="mono">{saved.sha256}</span>
        <br />
        From ledger checkpoint {saved.stamp.size}; recorded as ledger entry {saved.generation.seq}.
      </p>
      {saved.generation.kind === 'arcos' && saved.generation.format === 'txt' ? (
        <MarkArcosSubmitted sha256={saved.sha256} fileName={saved.fileName} />
      ) : null}
    </Notice>
  );
}

function PreviewSheet({ preview, format }: { preview: Preview; format: Format }) {
  return (
    <article className="report-sheet" data-testid="report-preview-sheet" aria-label="Preview">
      <header className="report-sheet-head">
        <div>
          <strong>{preview.registrant.name}</strong>
          {preview.registrant.lines.map((l) => (
            <div key={l}>{l}</div>
          ))}
        </div>
        <span className="pill">{format === 'pdf' ? 'Page 1' : 'First rows'}</span>
      </header>
      <h2>{preview.title}</h2>
      {preview.subtitle ? <p className="field-hint">{preview.subtitle}</p> : null}
      <dl className="report-fields">
        {preview.parameters.map((p) => (
          <div key={p.label}>
            <dt>{p.label}</dt>
            <dd>{p.value}</dd>
          </div>
        ))}
      </dl>
      {preview.empty ? (
        <Notice kind="warn" title="Nothing matched">
          The report will say it is empty. Check the lot, serial or dates you were given.
        </Notice>
      ) : null}
      {preview.sections.map((s, i) => (
        <section key={`${s.heading}-${i}`}>
          <h3>{s.heading}</h3>
          {s.paragraphs.map((p) => (
            <p key={p}>{p}</p>
          ))}
          {s.fields.length > 0 ? (
            <dl className="report-fields">
              {s.fields.map((f, k) => (
                <div key={`${f.label}-${k}`}>
                  <dt>{f.label}</dt>
                  <dd>{f.value}</dd>
                </div>
              ))}
            </dl>
          ) : null}
          {s.table ? (
            s.table.total === 0 ? (
              <p className="field-hint">{s.emptyText ?? 'Nothing to show.'}</p>
            ) : (
              <div className="report-table-wrap">
                <table className="table report-table">
                  <thead>
                    <tr>
                      {s.table.columns.map((c, k) => (
                        <th key={k}>{c.header}</th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {s.table.rows.map((r, k) => (
                      <tr key={k}>
                        {r.map((cell, c) => (
                          <td
                            key={c}
                            className={s.table!.columns[c]?.type === 'text' ? 'mono-ish' : undefined}
                          >
                            {cell ?? ''}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
                {s.table.total > s.table.rows.length ? (
                  <p className="field-hint">
                    First {s.table.rows.length} of {s.table.total} rows.
                  </p>
                ) : null}
              </div>
            )
          ) : null}
        </section>
      ))}
      <footer className="report-sheet-foot">
        Ledger checkpoint: tree size {preview.stamp.size} · root{' '}
        <span className="mono">{preview.stamp.rootHex}</span> · signed by {preview.stamp.keyIds.join(', ')}
        <br />
        {preview.stamp.howToCheck}
      </footer>
    </article>
  );
}

async function sha256Hex(file: File): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

type CheckResult = { name: string; sha256: string; matches: Generation[] };

function CheckFile() {
  const client = useClient();
  const [over, setOver] = useState(false);
  const [result, setResult] = useState<CheckResult | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const check = async (file: File) => {
    setError(null);
    try {
      const sha256 = await sha256Hex(file);
      const { matches } = await client.call('reports.check', { sha256 });
      setResult({ name: file.name, sha256, matches });
    } catch (e) {
      setError(asClientError(e));
    }
  };
  const drop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setOver(false);
    const file = event.dataTransfer.files[0];
    if (file) void check(file);
  };
  return (
    <section aria-labelledby="check-title" className="reports-check">
      <h2 id="check-title">Is this one of ours?</h2>
      <div
        className={`dropzone ${over ? 'dropzone-over' : ''}`}
        data-testid="report-dropzone"
        onDragOver={(event) => {
          event.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
      >
        <p className="field-hint">
          Drop a report file here, or choose one, to see which report it is, who generated it and when. A file
          changed by even one byte matches none.
        </p>
        <input
          type="file"
          aria-label="Report file to check"
          data-testid="report-check-file"
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) void check(file);
            event.target.value = '';
          }}
        />
      </div>
      {error ? <ErrorNotice error={error} /> : null}
      {result ? (
        result.matches.length > 0 ? (
          <Notice kind="ok" title={`${result.name} is a report generated here`} testId="report-check-result">
            {result.matches.map((g) => (
              <p key={g.seq}>
                {g.kind} ({g.format}) generated {formatDateTime(g.time)} by {g.personName ?? g.person}, from
                ledger checkpoint {g.checkpointSize}; ledger entry {g.seq}. Asked for:{' '}
                {describeParams(g.params)}.
              </p>
            ))}
          </Notice>
        ) : (
          <Notice
            kind="warn"
            title={`${result.name} matches no report generated here`}
            testId="report-check-result"
          >
            Its SHA-256 is <span className="mono">{result.sha256}</span>. It was not generated by this ledger,
            or it was changed after it was saved.
          </Notice>
        )
      ) : null}
    </section>
  );
}

function describeParams(params: Record<string, string>): string {
  const parts = Object.entries(params).map(([k, v]) => `${k} ${v}`);
  return parts.length > 0 ? parts.join(', ') : 'everything';
}

function History({ generations, titles }: { generations: Generation[]; titles: Map<string, string> }) {
  const client = useClient();
  if (generations.length === 0)
    return <p className="field-hint">No report has been generated yet. Reports you save are listed here.</p>;
  return (
    <table className="table" data-testid="report-history">
      <caption className="visually-hidden">Reports generated, newest first</caption>
      <thead>
        <tr>
          <th>When</th>
          <th>Who</th>
          <th>Report</th>
          <th>Asked for</th>
          <th>File</th>
          <th>Checkpoint</th>
          <th>SHA-256</th>
        </tr>
      </thead>
      <tbody>
        {generations.map((g) => {
          const link = client.exportLink(g.fileName);
          return (
            <tr key={g.seq}>
              <td>{formatDateTime(g.time)}</td>
              <td>{g.personName ?? g.person}</td>
              <td title={g.kind}>{titles.get(g.kind) ?? g.kind}</td>
              <td>{describeParams(g.params)}</td>
              <td>
                {link ? (
                  <a href={link.href} download={link.name}>
                    {g.fileName}
                  </a>
                ) : (
                  g.fileName
                )}
              </td>
              <td>{g.checkpointSize}</td>
              <td className="mono" title={g.sha256}>
                {g.sha256.slice(0, 16)}…
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
