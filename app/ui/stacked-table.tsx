/** A table of records that on phones shows each row as a card, each value under its column's name. */
import type { ReactNode } from "react";

export type Column<Row> = { label: string; cell: (row: Row) => ReactNode };

export function StackedTable<Row>({
  columns,
  rows,
  rowKey,
  rowClassName,
  caption,
}: {
  /** `false` leaves a column out. */
  columns: (Column<Row> | false)[];
  rows: Row[];
  rowKey: (row: Row) => string;
  rowClassName?: (row: Row) => string | undefined;
  caption?: string;
}) {
  const shown = columns.filter((column): column is Column<Row> => column !== false);
  return (
    <table className="data-table stacked-table">
      {caption && <caption className="visually-hidden">{caption}</caption>}
      <thead>
        <tr>
          {shown.map((column) => (
            <th key={column.label} scope="col">
              {column.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)} className={rowClassName?.(row)}>
            {shown.map((column) => (
              <td key={column.label} data-label={column.label}>
                {column.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
