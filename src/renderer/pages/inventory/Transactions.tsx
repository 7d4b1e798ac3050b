import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import type { Contract, OutputOf } from '../../../core/api';
import { useClient, useQuery } from '../../api/context';
import { KIND_LABEL, qty } from '../../forms/format';
import { can } from '../../session/roles';
import { useSession } from '../../session/SessionProvider';
import { Button } from '../../ui/Button';
import { Field, SelectField, TextAreaField } from '../../ui/Form';
import { ErrorNotice } from '../../ui/Notice';
import { SignatureDialog } from '../../ui/SignatureDialog';
import { Table } from '../../ui/Table';
import { useToast } from '../../ui/Toasts';

type Transaction = OutputOf<Contract['inventory.transactions']>['transactions'][number];
type Status = Transaction['status'];

export function signedBy(tx: Transaction, meaning: string): string {
  return tx.signatures
    .filter((s) => s.meaning === meaning)
    .map((s) => s.printedName)
    .join(', ');
}

/** Every controlled-substance transaction with its signatures; a posted one is corrected, never edited. */
export function Transactions() {
  const client = useClient();
  const session = useSession();
  const toast = useToast();
  const [status, setStatus] = useState<Status | ''>('');
  const [page, setPage] = useState(0);
  const list = useQuery('inventory.transactions', {
    ...(status ? { status } : {}),
    limit: 100,
    offset: page * 100,
  });
  const [correcting, setCorrecting] = useState<Transaction>();
  const [correctQuantity, setCorrectQuantity] = useState('');
  const [reason, setReason] = useState('');

  const columns: ColumnDef<Transaction, unknown>[] = [
    { header: 'Date', accessorKey: 'date' },
    { header: 'Kind', accessorKey: 'kind', cell: (c) => KIND_LABEL[c.row.original.kind] },
    { header: 'NDC', accessorKey: 'ndc', cell: (c) => <span className="mono">{c.row.original.ndc}</span> },
    { header: 'Lot', accessorKey: 'lot', cell: (c) => c.row.original.lot ?? '—' },
    { header: 'Sch.', accessorKey: 'schedule' },
    {
      header: 'Quantity',
      accessorKey: 'quantity',
      cell: (c) => `${c.row.original.direction > 0 ? '+' : '−'}${qty(c.row.original.quantity)}`,
    },
    {
      header: 'Status',
      accessorKey: 'status',
      cell: (c) => (
        <span
          className={`pill ${c.row.original.status === 'posted' ? 'pill-ok' : c.row.original.status === 'pending' ? 'pill-wait' : 'pill-bad'}`}
        >
          {c.row.original.status}
        </span>
      ),
    },
    {
      header: 'Signed',
      id: 'signed',
      enableSorting: false,
      cell: (c) => {
        const tx = c.row.original;
        const parts = [
          `initiated: ${signedBy(tx, 'initiated')}`,
          signedBy(tx, 'witnessed') && `witnessed: ${signedBy(tx, 'witnessed')}`,
          signedBy(tx, 'approved') && `approved: ${signedBy(tx, 'approved')}`,
          signedBy(tx, 'rejected') && `rejected: ${signedBy(tx, 'rejected')} (${tx.rejectionReason ?? ''})`,
        ].filter(Boolean);
        return <small>{parts.join(' · ')}</small>;
      },
    },
    { header: 'Ledger #', accessorKey: 'ledgerSeq' },
    {
      header: '',
      id: 'actions',
      enableSorting: false,
      cell: (c) =>
        c.row.original.status === 'posted' && can.recordInventory(session.principal) ? (
          <Button
            variant="ghost"
            onClick={() => {
              setCorrecting(c.row.original);
              setCorrectQuantity(String(c.row.original.quantity));
              setReason('');
            }}
          >
            Correct…
          </Button>
        ) : null,
    },
  ];

  return (
    <>
      <div className="filters">
        <SelectField
          label="Status"
          value={status}
          onChange={(e) => {
            setStatus(e.target.value as Status | '');
            setPage(0);
          }}
        >
          <option value="">All</option>
          <option value="pending">Waiting for approval</option>
          <option value="posted">Posted</option>
          <option value="rejected">Rejected</option>
        </SelectField>
        <Button onClick={list.reload}>Refresh</Button>
      </div>
      {list.status === 'error' ? <ErrorNotice error={list.error} /> : null}
      {list.status === 'ok' ? (
        <>
          <Table
            caption="Controlled-substance transactions"
            columns={columns}
            data={list.data.transactions}
            empty="No transactions recorded yet."
          />
          <div className="pager">
            <span>
              {list.data.total === 0
                ? ''
                : `${page * 100 + 1}–${Math.min(list.data.total, (page + 1) * 100)} of ${list.data.total}`}
            </span>
            <Button disabled={page === 0} onClick={() => setPage(page - 1)}>
              Newer
            </Button>
            <Button disabled={(page + 1) * 100 >= list.data.total} onClick={() => setPage(page + 1)}>
              Older
            </Button>
          </div>
        </>
      ) : null}
      <SignatureDialog
        open={correcting !== undefined}
        title="Correct a posted transaction"
        meaning="initiated"
        printedName={session.principal?.displayName ?? ''}
        confirmLabel="Sign the correction"
        ready={reason.trim().length >= 5 && correctQuantity !== ''}
        subject={
          correcting ? (
            <p>
              {KIND_LABEL[correcting.kind]} of {qty(correcting.quantity)} ({correcting.ndc}) on{' '}
              {correcting.date} stays in the ledger as it was; a new signed adjustment records the difference.
            </p>
          ) : null
        }
        onSign={async (password) => {
          if (!correcting) return;
          await client.call('inventory.correct', {
            transactionId: correcting.id,
            correctQuantity: Number(correctQuantity),
            reason: reason.trim(),
            password,
          });
          setCorrecting(undefined);
          toast('success', 'Correction recorded as a new signed entry.');
          list.reload();
        }}
        onClose={() => setCorrecting(undefined)}
      >
        <Field
          label="The quantity it should have had"
          type="number"
          min={0}
          step="any"
          value={correctQuantity}
          onChange={(e) => setCorrectQuantity(e.target.value)}
        />
        <TextAreaField
          label="Why (at least 5 characters)"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </SignatureDialog>
    </>
  );
}
