import { leafSeqHint } from '../leaf';
import { leafHash, type Frontier } from '../merkle';

/**
 * The one pass both verifiers make over leaf bytes: hash every leaf into the RFC 9162 frontier
 * and compare the recomputed root at every checkpoint size. It imports only hashing code, so the
 * standalone auditor's verifier and the app's own `ledger verify` run the same loop. Leaves are
 * fed in chunks so a caller can yield to the event loop (progress events) between them.
 */
export interface ReplayTarget {
  readonly size: number;
  readonly root: Buffer;
  /** How a person would name it: "checkpoint 12 (size 4096)", "your checkpoint cp.txt". */
  readonly label: string;
}

export type ReplayFailure = {
  readonly ok: false;
  /** The first record that is wrong, or the first of the range that contains it. */
  readonly firstBadSeq: number;
  /** Set when only a range is known: some record in firstBadSeq..lastBadSeq is wrong. */
  readonly lastBadSeq?: number;
  readonly reason: string;
};

export type ReplayOutcome =
  { readonly ok: true; readonly frontier: Frontier; readonly checked: number } | ReplayFailure;

/** Strict look at records from..to-1, to name the exact bad record after a root mismatch. */
export type Diagnose = (from: number, to: number) => { seq: number; reason: string } | null;

export class Replay {
  private readonly frontier: Frontier;
  private t = 0;
  private lastGood: number;
  private count = 0;
  private failure: ReplayFailure | null = null;

  constructor(
    start: Frontier,
    /** Sorted by size; sizes below the start are the caller's to check. */
    private readonly targets: readonly ReplayTarget[],
    private readonly diagnose: Diagnose,
    private readonly onPerfect?: (level: number, index: number, hash: Buffer) => void,
  ) {
    this.frontier = start.clone();
    this.lastGood = start.size;
    while (this.t < targets.length && targets[this.t]!.size < start.size) this.t++;
    this.failure = this.checkTargets();
  }

  get size(): number {
    return this.frontier.size;
  }

  /** Feeds leaves in order; returns the failure as soon as there is one. */
  feed(leaves: Iterable<Buffer>): ReplayFailure | null {
    if (this.failure) return this.failure;
    const frontier = this.frontier;
    const targets = this.targets;
    const onPerfect = this.onPerfect;
    for (const leaf of leaves) {
      const seq = frontier.size;
      const hint = leafSeqHint(leaf);
      if (hint !== seq) {
        this.failure = this.misplaced(seq, hint);
        return this.failure;
      }
      frontier.push(leafHash(leaf), onPerfect);
      this.count++;
      if (this.t < targets.length && targets[this.t]!.size === frontier.size) {
        this.failure = this.checkTargets();
        if (this.failure) return this.failure;
      }
    }
    return null;
  }

  finish(): ReplayOutcome {
    if (this.failure) return this.failure;
    if (this.t < this.targets.length) {
      const target = this.targets[this.t]!;
      return {
        ok: false,
        firstBadSeq: this.frontier.size,
        reason:
          `${target.label} covers ${target.size} records but only ${this.frontier.size} are present: ` +
          `records ${this.frontier.size}..${target.size - 1} were cut off`,
      };
    }
    return { ok: true, frontier: this.frontier, checked: this.count };
  }

  /**
   * Position `seq` holds another record's bytes. Records since the last matching checkpoint look
   * right but are not yet proven, so the first bad one is somewhere from there to here, unless a
   * strict look at them names it.
   */
  private misplaced(seq: number, hint: number | null): ReplayFailure {
    const found = this.diagnose(this.lastGood, seq + 1);
    if (found !== null && found.seq < seq) return { ok: false, firstBadSeq: found.seq, reason: found.reason };
    const what =
      hint === null
        ? (found?.reason ?? 'its bytes are not a ledger entry')
        : `the bytes at position ${seq} are those of record ${hint}: records were removed, inserted, duplicated or reordered`;
    return {
      ok: false,
      firstBadSeq: this.lastGood < seq ? this.lastGood : seq,
      ...(this.lastGood < seq ? { lastBadSeq: seq } : {}),
      reason: this.lastGood < seq ? `${what} (the checkpoint of size ${this.lastGood} still matches)` : what,
    };
  }

  private checkTargets(): ReplayFailure | null {
    const frontier = this.frontier;
    while (this.t < this.targets.length && this.targets[this.t]!.size === frontier.size) {
      const target = this.targets[this.t]!;
      if (!frontier.root().equals(target.root)) {
        const found = this.diagnose(this.lastGood, frontier.size);
        if (found !== null) return { ok: false, firstBadSeq: found.seq, reason: found.reason };
        if (frontier.size === this.lastGood) {
          return {
            ok: false,
            firstBadSeq: Math.max(0, frontier.size - 1),
            reason: `${target.label} has another root for the same records`,
          };
        }
        return {
          ok: false,
          firstBadSeq: this.lastGood,
          lastBadSeq: frontier.size - 1,
          reason:
            `records ${this.lastGood}..${frontier.size - 1} do not hash to the root signed in ${target.label}, ` +
            'though each is well-formed: one of them was altered after it was signed',
        };
      }
      this.lastGood = frontier.size;
      this.t++;
    }
    return null;
  }
}
