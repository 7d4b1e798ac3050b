/**
 * What a verification concludes: exactly one of three, so "could not check" is never shown as a
 * pass (ledger-anchors §8 E.13).
 */
export type Verdict =
  | {
      readonly status: 'consistent';
      readonly message: string;
      readonly records: number;
      readonly checkpoints: number;
    }
  | {
      readonly status: 'inconsistent';
      readonly message: string;
      /** First bad record (seq), or null when the fault is not in a record (a checkpoint, the file). */
      readonly firstBadSeq: number | null;
      readonly lastBadSeq?: number;
      readonly reason: string;
    }
  | { readonly status: 'unknown'; readonly message: string; readonly reason: string };

export function consistent(records: number, checkpoints: number, extra = ''): Verdict {
  return {
    status: 'consistent',
    records,
    checkpoints,
    message:
      `consistent: all ${records} records hash to the ${checkpoints} signed checkpoints, every signature ` +
      `verifies and each checkpoint extends the one before${extra}`,
  };
}

export function inconsistent(reason: string, firstBadSeq: number | null, lastBadSeq?: number): Verdict {
  const where =
    firstBadSeq === null
      ? ''
      : lastBadSeq !== undefined && lastBadSeq !== firstBadSeq
        ? `first bad record ${firstBadSeq} (or a later one up to ${lastBadSeq}), `
        : `first bad record ${firstBadSeq}, `;
  return {
    status: 'inconsistent',
    firstBadSeq,
    ...(lastBadSeq !== undefined ? { lastBadSeq } : {}),
    reason,
    message: `inconsistent (${where}because ${reason})`,
  };
}

export function unknown(reason: string): Verdict {
  return { status: 'unknown', reason, message: `unknown (could not check ${reason})` };
}
