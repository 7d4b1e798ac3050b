import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';

export interface VirtualTableProps<T> {
  readonly columns: ColumnDef<T, unknown>[];
  readonly rows: T[];
  /** Rows that exist in total (more may be fetched as the person scrolls). */
  readonly total: number;
  readonly caption: string;
  readonly empty: string;
  readonly rowHeight?: number;
  readonly onNeedMore?: () => void;
  readonly onRowActivate?: (row: T) => void;
  readonly selected?: (row: T) => boolean;
}

/**
 * A table for long lists (a ledger of a million entries): only visible rows are in the DOM, and
 * onNeedMore fires near the end so pages load as the person scrolls. Rows open with click or Enter.
 */
export function VirtualTable<T>({
  columns,
  rows,
  total,
  caption,
  empty,
  rowHeight = 36,
  onNeedMore,
  onRowActivate,
  selected,
}: VirtualTableProps<T>) {
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- tanstack's hooks return fresh functions by design
  const table = useReactTable({ data: rows, columns, getCoreRowModel: getCoreRowModel() });
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1];
  useEffect(() => {
    if (last !== undefined && last.index >= rows.length - 20 && rows.length < total) onNeedMore?.();
  }, [last, rows.length, total, onNeedMore]);

  const modelRows = table.getRowModel().rows;
  const template = columns.map((c) => (c.size ? `${c.size}px` : 'minmax(0, 1fr)')).join(' ');
  return (
    <div className="vtable" role="table" aria-label={caption} aria-rowcount={total + 1}>
      <div className="vtable-head" role="rowgroup">
        {table.getHeaderGroups().map((group) => (
          <div key={group.id} role="row" className="vtable-row" style={{ gridTemplateColumns: template }}>
            {group.headers.map((header) => (
              <div key={header.id} role="columnheader" className="vtable-cell">
                {flexRender(header.column.columnDef.header, header.getContext())}
              </div>
            ))}
          </div>
        ))}
      </div>
      <div ref={scroller} className="vtable-body" role="rowgroup">
        {rows.length === 0 ? (
          <div className="table-empty">{empty}</div>
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const row = modelRows[item.index];
              if (row === undefined) return null;
              return (
                <div
                  key={row.id}
                  role="row"
                  aria-rowindex={item.index + 2}
                  aria-selected={selected ? selected(row.original) : undefined}
                  tabIndex={onRowActivate ? 0 : undefined}
                  className={`vtable-row ${onRowActivate ? 'row-action' : ''} ${selected?.(row.original) ? 'row-selected' : ''}`}
                  style={{
                    gridTemplateColumns: template,
                    position: 'absolute',
                    top: 0,
                    left: 0,
                    right: 0,
                    height: item.size,
                    transform: `translateY(${item.start}px)`,
                  }}
                  onClick={onRowActivate ? () => onRowActivate(row.original) : undefined}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter' && onRowActivate) onRowActivate(row.original);
                    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
                      event.preventDefault();
                      const sibling =
                        event.key === 'ArrowDown'
                          ? event.currentTarget.nextElementSibling
                          : event.currentTarget.previousElementSibling;
                      (sibling as HTMLElement | null)?.focus();
                    }
                  }}
                >
                  {row.getVisibleCells().map((cell) => (
                    <div key={cell.id} role="cell" className="vtable-cell">
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </div>
                  ))}
                </div>
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
