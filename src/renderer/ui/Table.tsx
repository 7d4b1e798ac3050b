import {
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type SortingState,
} from '@tanstack/react-table';
import { useMemo, useState } from 'react';

export interface TableProps<T> {
  readonly columns: ColumnDef<T, unknown>[];
  readonly data: T[];
  readonly caption: string;
  /** Said in the table body when there are no rows: what to do to get some. */
  readonly empty: string;
  readonly onRowActivate?: (row: T) => void;
  /** Words typed in the page's search box: only rows whose text holds every word are shown. */
  readonly search?: string;
  /** The text a row is searched by (default: every value in it, nested ones too). */
  readonly searchText?: (row: T) => string;
}

/** Every value in a row as one lower-case string, for the search box. */
function textOf(row: unknown): string {
  return JSON.stringify(row).toLowerCase();
}

/** The rows holding every word of the search (case-insensitive); all of them when it is empty. */
export function searchRows<T>(rows: T[], search: string | undefined, text: (row: T) => string = textOf): T[] {
  const words = (search ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return rows;
  return rows.filter((row) => {
    const haystack = text(row).toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
}

/**
 * The workstation's table: sortable headers, rows reachable by keyboard (Tab, then Enter to open),
 * a caption for screen readers, and an honest empty state.
 */
export function Table<T>({
  columns,
  data,
  caption,
  empty,
  onRowActivate,
  search,
  searchText,
}: TableProps<T>) {
  const [sorting, setSorting] = useState<SortingState>([]);
  const rows = useMemo(() => searchRows(data, search, searchText), [data, search, searchText]);
  // eslint-disable-next-line react-hooks/incompatible-library -- tanstack's hook returns fresh functions by design
  const table = useReactTable({
    data: rows,
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
  });
  return (
    <table className="table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        {table.getHeaderGroups().map((group) => (
          <tr key={group.id}>
            {group.headers.map((header) => {
              const sorted = header.column.getIsSorted();
              return (
                <th
                  key={header.id}
                  scope="col"
                  aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
                >
                  {header.column.getCanSort() ? (
                    <button className="th-sort" onClick={header.column.getToggleSortingHandler()}>
                      {flexRender(header.column.columnDef.header, header.getContext())}
                      <span aria-hidden="true" className={sorted ? 'th-sorted' : 'th-sortable'}>
                        {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ' ↕'}
                      </span>
                    </button>
                  ) : (
                    flexRender(header.column.columnDef.header, header.getContext())
                  )}
                </th>
              );
            })}
          </tr>
        ))}
      </thead>
      <tbody>
        {table.getRowModel().rows.length === 0 ? (
          <tr>
            <td colSpan={columns.length} className="table-empty">
              {data.length > 0 ? `Nothing matches “${search ?? ''}”.` : empty}
            </td>
          </tr>
        ) : (
          table.getRowModel().rows.map((row) => (
            <tr
              key={row.id}
              tabIndex={onRowActivate ? 0 : undefined}
              className={onRowActivate ? 'row-action' : undefined}
              onClick={onRowActivate ? () => onRowActivate(row.original) : undefined}
              onKeyDown={
                onRowActivate
                  ? (event) => {
                      if (event.key === 'Enter') onRowActivate(row.original);
                    }
                  : undefined
              }
            >
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
              ))}
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}
