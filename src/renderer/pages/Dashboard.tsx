import type { ColumnDef } from '@tanstack/react-table';
import type { Contract, OutputOf } from '../../core/api';
import { useQuery } from '../api/context';
import { Button } from '../ui/Button';
import { ErrorNotice } from '../ui/Notice';
import { Table } from '../ui/Table';
import { NextDue } from './inventory/NextDue';
import { Page } from './Page';
import { RequestsPanel } from './requests/Requests';

type Check = OutputOf<Contract['system.health']>['checks'][number];

const columns: ColumnDef<Check, unknown>[] = [
  { header: 'Check', accessorKey: 'name' },
  {
    header: 'State',
    accessorKey: 'ok',
    cell: (cell) =>
      cell.getValue() ? (
        <span className="pill pill-ok">OK</span>
      ) : (
        <span className="pill pill-bad">Needs attention</span>
      ),
  },
  { header: 'What it means', accessorKey: 'message', enableSorting: false },
];

export function Dashboard() {
  const health = useQuery('system.health', {});
  const due = useQuery('counts.nextDue', {});
  const pending = useQuery('approvals.pending', {});
  const files = useQuery('ingest.files', { limit: 1 });
  const quarantined = useQuery('quarantine.list', { status: 'open', limit: 1 });
  const exceptions = useQuery('receiving.exceptions', { status: 'open' });
  return (
    <Page title="Dashboard" intro="The state of this workstation at a glance.">
      <div className="columns">
        <section className="panel" aria-labelledby="dash-inventory">
          <h2 id="dash-inventory">Biennial inventory</h2>
          <NextDue query={due} />
          <a href="#/inventory/biennial">Open the biennial inventory</a>
        </section>
        <section className="panel" aria-labelledby="dash-approvals">
          <h2 id="dash-approvals">Approvals</h2>
          {pending.status === 'ok' ? (
            <p data-testid="pending-count">
              {pending.data.pending.length === 0
                ? 'No Schedule II transaction is waiting.'
                : `${pending.data.pending.length} Schedule II transaction(s) waiting for a second person.`}
            </p>
          ) : null}
          {pending.status === 'error' ? <ErrorNotice error={pending.error} /> : null}
          <a href="#/approvals">Open Approvals</a>
        </section>
        <section className="panel" aria-labelledby="dash-incoming">
          <h2 id="dash-incoming">Partner files and receiving</h2>
          {files.status === 'ok' ? (
            <p data-testid="files-count">
              {files.data.total === 0
                ? 'No partner file imported yet.'
                : `${files.data.total} partner file(s) imported.`}
            </p>
          ) : null}
          {quarantined.status === 'ok' && quarantined.data.total > 0 ? (
            <p data-testid="quarantine-count">
              <a href="#/import/quarantine">
                {quarantined.data.total} file(s) or event(s) waiting in quarantine for a decision
              </a>
            </p>
          ) : null}
          {exceptions.status === 'ok' && exceptions.data.exceptions.length > 0 ? (
            <p data-testid="exceptions-count">
              <a href="#/receiving/exceptions">
                {exceptions.data.exceptions.length} receiving exception(s) open
              </a>
            </p>
          ) : null}
          <a href="#/import">Open Import</a>
        </section>
      </div>
      <RequestsPanel />
      <h2>Health</h2>
      <div className="toolbar">
        <Button onClick={health.reload}>Check again</Button>
      </div>
      {health.status === 'error' ? <ErrorNotice error={health.error} /> : null}
      {health.status === 'ok' ? (
        <>
          <p data-testid="health-summary">
            {health.data.ok ? 'Everything checked is working.' : 'Something needs attention: see below.'}
          </p>
          <Table caption="Health checks" columns={columns} data={health.data.checks} empty="No checks ran." />
        </>
      ) : null}
      {health.status === 'loading' ? <p>Checking…</p> : null}
    </Page>
  );
}
