import { leafSeqHint } from '../leaf';
import type { Frontier} from '../merkle';
import { leafHash } from '../merkle';

/**
 * The one pass both verifiers make over leaf bytes: hash every leaf into the RFC 9162 frontier
 * and compare the recomputed root at every checkpoint size. It imports only hashing code, so the
 * standalone auditor's verifier and the app's own `ledger verify` run the same loop.
 */
export interface ReplayTarget {
  readonly size: number;
  readonly root: Buffer;
  /** How a person would name it: "checkpoint 12 (size 4,096)", "your checkpoint file x.txt". */
  readonly label: string;
}

export type ReplayOutcome =
  | { readonly ok: true; readonly frontier: Frontier; readonly checked: number }
  | {
      readonly ok: false;
      /** The first record that is wrong, or the first of the range that contains it. */
      readonly firstBadSeq: number;
      /** Set when only a range is known: some record in firstBadSeq..lastBadSeq is wrong. */
      readonly lastBadSeq?: number;
      readonly reason: string;
    };

export interface ReplayInput {
  /** The tree before the first leaf (empty, or a bundle's prefix). */
  readonly start: Frontier;
  readonly leaves: Iterable<Buffer>;
  /** Sorted by size; every size within [start.size, start.size + leaf count]. */
  readonly targets: readonly ReplayTarget[];
  /** Strict look at records from..to-1 to name the exact bad record after a root mismatch. */
  readonly diagnose: (from: number, to: number) => { seq: number; reason: string } | null;
  readonly onProgress?: (done: number) => void;
  readonly onPerfect?: (level: number, index: number, hash: Buffer) => void;
}

const PROGRESS_EVERY = 1 << 16;

export function replay(input: ReplayInput): ReplayOutcome {
  const frontier = input.start.clone();
  const targets = input.targets;
  let t = 0;
  let lastGood = frontier.size;
  const check = (): ReplayOutcome | null => {
    while (t < targets.length && targets[t]!.size === frontier.size) {
      const target = targets[t]!;
      if (!frontier.root().equals(target.root)) {
        const found = input.diagnose(lastGood, frontier.size);
        if (found !== null) return { ok: false, firstBadSeq: found.seq, reason: found.reason };
        return {
          ok: false,
          firstBadSeq: lastGood,
          lastBadSeq: frontier.size - 1,
          reason:
            `records ${lastGood}..${frontier.size - 1} do not hash to the root signed in ${target.label}, ` +
            'although each of them is well-formed: one of them was altered after it was signed',
        };
      }
      lastGood = frontier.size;
      t++;
    }
    return null;
  };
  const early = check();
  if (early) return early;
  const onPerfect = input.onPerfect;
  let n = 0;
  for (const leaf of input.leaves) {
    const seq = frontier.size;
    const hint = leafSeqHint(leaf);
    if (hint !== seq) {
      const found = input.diagnose(seq, seq + 1);
      return {
        ok: false,
        firstBadSeq: seq,
        reason:
          hint === null
            ? (found?.reason ?? 'its bytes are not a ledger entry')
            : `the bytes at position ${seq} are record ${hint}: records were removed, inserted, duplicated or reordered here`,
      };
    }
    frontier.push(leafHash(leaf), onPerfect);
    if (t < targets.length && targets[t]!.size === frontier.size) {
      const bad = check();
      if (bad) return bad;
    }
    if (++n % PROGRESS_EVERY === 0) input.onProgress?.(n);
  }
  input.onProgress?.(n);
  if (t < targets.length) {
    const target = targets[t]!;
    return {
      ok: false,
      firstBadSeq: frontier.size,
      reason: `${target.label} covers ${target.size} records but only ${frontier.size} are present: the tail was cut`,
    };
  }
  return { ok: true, frontier, checked: n };
}
