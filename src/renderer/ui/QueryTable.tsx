import type { Query } from '../api/context';
import { ErrorNotice } from './Notice';
import { Table, type TableProps } from './Table';

/**
 * A table of what a procedure answered: its error in words while it fails, the rows once it has
 * answered, and `loading` (if given) while it has not. One place for the three states every list
 * page shows.
 */
export function QueryTable<Data, Row>({
  query,
  rows,
  loading,
  ...table
}: Omit<TableProps<Row>, 'data'> & {
  readonly query: Query<Data>;
  /** The rows within the procedure's answer. */
  readonly rows: (data: Data) => Row[];
  readonly loading?: string;
}) {
  if (query.status === 'error') return <ErrorNotice error={query.error} />;
  if (query.status === 'loading') return loading === undefined ? null : <p>{loading}</p>;
  return <Table {...table} data={rows(query.data)} />;
}
