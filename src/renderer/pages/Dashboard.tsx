import type { ColumnDef } from '@tanstack/react-table';
import { useEffect, useRef } from 'react';
import type { Contract, OutputOf } from '../../core/api';
import { useQuery } from '../api/context';
import { Button } from '../ui/Button';
import { ErrorNotice } from '../ui/Notice';
import { Table } from '../ui/Table';
import { useWorkQueue, type Urgency } from '../shell/workQueue';
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

const URGENCY_LABEL: Record<Urgency, string> = {
  overdue: 'Overdue',
  clock: 'Deadline',
  waiting: 'Waiting',
  pending: 'To do',
};

/**
 * The day's work queue, most urgent first: investigations and requests with their deadlines,
 * approvals, receiving exceptions, quarantine, shipments to receive, counts due. Each line links to
 * where it is handled; the navigation's badges count the same lines.
 */
export function Dashboard() {
  const health = useQuery('system.health', {});
  const queue = useWorkQueue();
  const files = useQuery('ingest.files', { limit: 1 });
  const due = useQuery('counts.nextDue', {});
  const requests = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (window.location.hash.startsWith('#/dashboard/requests')) requests.current?.scrollIntoView();
  }, []);
  return (
    <Page title="Dashboard" intro="The day’s work, most urgent first. Each line opens where it is handled.">
      <section className="panel work-queue" aria-labelledby="dash-queue" data-testid="work-queue">
        <h2 id="dash-queue">To do</h2>
        {!queue.loaded ? <p>Loading the day’s work…</p> : null}
        {queue.loaded && queue.lines.length === 0 && queue.failed.length === 0 ? (
          <p data-testid="queue-empty">Nothing is waiting: no deadline, exception, quarantine or approval.</p>
        ) : null}
        <ol className="queue">
          {queue.lines.map((line) => (
            <li
              key={line.id}
              className={`queue-line queue-${line.urgency}`}
              data-testid="queue-line"
              data-line={line.id}
              data-count={line.count}
            >
              <span className={`pill queue-pill-${line.urgency}`}>{URGENCY_LABEL[line.urgency]}</span>
              <span className="queue-what">
                <a href={line.href}>{line.title}</a>
                {line.detail ? <span className="queue-detail">{line.detail}</span> : null}
              </span>
            </li>
          ))}
        </ol>
        {queue.failed.length > 0 ? (
          <p className="field-hint" data-testid="queue-failed">
            Could not read: {queue.failed.join(', ')}. Those may also need attention.
          </p>
        ) : null}
        {files.status === 'ok' ? (
          <p className="field-hint">
            <span data-testid="files-count">
              {files.data.total === 0
                ? 'No partner file imported yet.'
                : `${files.data.total} partner file(s) imported.`}
            </span>{' '}
            <a href="#/import">Open Import</a>
          </p>
        ) : null}
      </section>
      {due.status === 'ok' && due.data.state === 'ok' ? (
        // Not work yet (the queue lists it once due soon): when the next one is due, at a glance.
        <NextDue query={due} />
      ) : null}
      <div ref={requests}>
        <RequestsPanel />
      </div>
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
