import type { SourcePosition } from './model';
import { describePosition } from './model';

/**
 * A file that cannot be read any further (not well-formed, unsafe, over a limit, wrong encoding).
 * Event-level problems are not thrown; they are reported as issues next to the event.
 */
export class EpcisReadError extends Error {
  constructor(
    readonly code: ReadErrorCode,
    readonly detail: string,
    readonly position: SourcePosition = {},
  ) {
    const known = position.line !== undefined || position.pointer !== undefined;
    super(known ? `${detail} (${describePosition(position)})` : detail);
    this.name = 'EpcisReadError';
  }
}

export type ReadErrorCode =
  | 'not-well-formed'
  | 'truncated'
  | 'dtd-forbidden'
  | 'entity-forbidden'
  | 'encoding'
  | 'limit'
  | 'not-epcis'
  | 'io';
