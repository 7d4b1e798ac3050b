/** One benchmark figure: printed as one JSON line so runs can be compared by machine. */
export interface Figure {
  readonly figure: string;
  readonly value: number;
  readonly unit: string;
  /** The same work done the plainest way in the same run (raw SQLite insert, raw SHA-256 …). */
  readonly baseline?: number;
  /** value / baseline (or the inverse for latencies), the number goals are stated in. */
  readonly ratio?: number;
  readonly goal?: string;
  readonly [extra: string]: unknown;
}

export type Report = (figure: Figure) => void;

export const printFigure: Report = (figure) => process.stdout.write(JSON.stringify(figure) + '\n');
