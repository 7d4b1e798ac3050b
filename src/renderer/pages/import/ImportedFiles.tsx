import { useState } from 'react';
import type { ColumnDef } from '@tanstack/react-table';
import type { Contract, OutputOf } from '../../../core/api';
import { useQuery, useReloadOn } from '../../api/context';
import { formatDateTime } from '../../forms/format';
import { ErrorNotice } from '../../ui/Notice';
import { SearchField } from '../../ui/Form';
import { Table } from '../../ui/Table';
import { formatLabel } from './formats';

type File = OutputOf<Contract['ingest.files']>['files'][number];

const columns: ColumnDef<File, unknown>[] = [
  { header: 'File', accessorKey: 'name' },
  { header: 'Format', accessorKey: 'format', cell: (c) => formatLabel(c.getValue() as string) },
  { header: 'Records', accessorKey: 'records' },
  { header: 'Imported', accessorKey: 'imported' },
  { header: 'Already there', accessorKey: 'duplicates' },
  { header: 'Pending', accessorKey: 'pending' },
  { header: 'When', accessorKey: 'importedMs', cell: (c) => formatDateTime(c.getValue() as number) },
  { header: 'Ledger record', accessorKey: 'ledgerSeq' },
  {
    header: 'SHA-256',
    accessorKey: 'fileHash',
    cell: (c) => (
      <span className="mono" title={c.getValue() as string}>
        {(c.getValue() as string).slice(0, 12)}…
      </span>
    ),
  },
];

/** Every file that made it into the ledger: the record of what was received from whom, and when. */
export function ImportedFiles({ generation }: { generation: number }) {
  const files = useQuery('ingest.files', { limit: 500 });
  const [search, setSearch] = useState('');
  const { reload } = files;
  useReloadOn(generation, reload);
  return (
    <section aria-labelledby="imported-title">
      <h2 id="imported-title">Imported files</h2>
      {files.status === 'error' ? <ErrorNotice error={files.error} /> : null}
      {files.status === 'ok' ? (
        <>
          <div className="filters">
            <SearchField value={search} onSearch={setSearch} placeholder="File name, format, source…" />
          </div>
          <p className="field-hint">
            {files.data.total.toLocaleString()} file(s) imported
            {files.data.total > files.data.files.length
              ? `; the newest ${files.data.files.length} are listed`
              : ''}
            .
          </p>
          <Table
            caption="Imported files, newest first"
            columns={columns}
            data={files.data.files}
            empty="No file has been imported yet. Drop one under Import files."
            search={search}
          />
        </>
      ) : null}
    </section>
  );
}
