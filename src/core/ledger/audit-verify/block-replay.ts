import { EMPTY_ROOT, Frontier } from '../merkle';
import { createHashPool, type HashPool } from './hash-pool';
import { foldRoot, hashLeafBlock, sha256Latin1, type BlockJob, type BlockResult } from './leaf-block';
import type { ReplayTarget } from './replay';

/**
 * The fast pass of both verifiers. The RFC 9162 tree is built from perfect subtrees, so leaves in
 * aligned blocks of 2^k can be hashed independently (in worker threads) into one subtree root
 * each, and this thread folds the roots into the frontier in order. Checkpoint roots inside a
 * block come from the block's subtree stack at that size, appended to the frontier before it.
 *
 * It only answers "is everything as signed?". At the first sign of trouble (a record out of
 * place, a root that differs, a block that cannot be read as a contiguous run, a worker error) it
 * stops and returns the frontier at the last checkpoint that matched, and the caller replays from
 * there one leaf at a time ({@link Replay}): that replay, not this pass, names the bad record, so
 * the report is the same whichever path found the trouble.
 */
export interface LeafRun {
  readonly bytes: Uint8Array;
  readonly bounds: BlockJob['bounds'];
}

export interface FastReplayInput {
  readonly start: Frontier;
  /** Leaves start.size .. end-1 are checked. */
  readonly end: number;
  /** Sorted by size. */
  readonly targets: readonly ReplayTarget[];
  /**
   * Leaves [from, to), each preceded by one 0x00 byte; null when they are not exactly the records
   * from..to-1 in order (a gap, an extra row): the replay will say what is wrong.
   */
  readonly read: (from: number, to: number) => LeafRun | null;
  /** Worker threads; 0 hashes on this thread. */
  readonly workers: number;
  /** Leaves per block, a power of two. */
  readonly blockLeaves: number;
  /** Completed subtrees at or above this level go to onNode, in the order the tree completes them. */
  readonly nodeLevel?: number;
  readonly onNode?: (level: number, index: number, hash: Buffer) => void;
  readonly onProgress?: (done: number) => void;
}

export type FastReplayOutcome =
  | { readonly ok: true; readonly frontier: Frontier; readonly checked: number }
  | {
      readonly ok: false;
      /** The tree at the last checkpoint that matched (or at the start): replay from here. */
      readonly restart: Frontier;
    };

export async function fastReplay(input: FastReplayInput): Promise<FastReplayOutcome> {
  const hash = sha256Latin1;
  const { start, end, targets, blockLeaves } = input;
  if (!(blockLeaves >= 1 && Number.isInteger(Math.log2(blockLeaves))))
    throw new Error('blockLeaves must be a power of two');
  const blockLevel = Math.log2(blockLeaves);
  const nodeLevel = input.nodeLevel ?? Number.POSITIVE_INFINITY;
  const latin1 = (b: Buffer) => b.toString('latin1');
  const toFrontier = (size: number, subtrees: readonly string[]) =>
    Frontier.of(
      size,
      subtrees.map((s) => Buffer.from(s, 'latin1')),
    );

  let t = 0;
  while (t < targets.length && targets[t]!.size < start.size) t++;
  let subtrees = start.subtrees.map(latin1);
  let size = start.size;
  let good = start.clone();
  const failed = (): FastReplayOutcome => ({ ok: false, restart: good });

  /** Compares every target of this size with the root of `subs`; false on a mismatch. */
  const checkAt = (at: number, subs: readonly string[]): boolean => {
    if (t >= targets.length || targets[t]!.size !== at) return true;
    const root = subs.length === 0 ? latin1(EMPTY_ROOT) : foldRoot(hash, subs);
    for (; t < targets.length && targets[t]!.size === at; t++) {
      if (latin1(targets[t]!.root) !== root) return false;
    }
    good = toFrontier(at, subs);
    return true;
  };
  const emit = (nodes: readonly (number | string)[]) => {
    if (!input.onNode) return;
    for (let i = 0; i < nodes.length; i += 3) {
      input.onNode(nodes[i] as number, nodes[i + 1] as number, Buffer.from(nodes[i + 2] as string, 'latin1'));
    }
  };
  /** Aligned blocks start from an empty stack; only the unaligned head continues `subtrees`. */
  const jobFor = (from: number, to: number, run: LeafRun, continuing: boolean): BlockJob => {
    const snapshots: number[] = [];
    for (let i = t; i < targets.length && targets[i]!.size <= to; i++) {
      const s = targets[i]!.size;
      if (s > from && snapshots[snapshots.length - 1] !== s) snapshots.push(s);
    }
    return {
      first: from,
      bytes: run.bytes,
      bounds: run.bounds,
      count: to - from,
      origin: continuing ? 0 : from,
      stack: continuing ? subtrees : [],
      snapshots,
      nodeLevel,
    };
  };
  /** Takes in one block's result; false when the pass must stop. */
  const consume = (job: BlockJob, result: BlockResult, continuing: boolean): boolean => {
    if (result.malformed) return false;
    const end = job.first + job.count;
    const whole = !continuing && job.count === blockLeaves;
    for (let i = 0; i < result.snapshots.length; i++) {
      const at = job.snapshots[i]!;
      // At the end of a whole block the frontier is only canonical after the merge below.
      if (whole && at === end) continue;
      const snap = result.snapshots[i]!;
      if (!checkAt(at, continuing ? snap : [...subtrees, ...snap])) return false;
    }
    emit(result.nodes);
    if (result.misplaced >= 0) return false;
    if (continuing) {
      subtrees = result.stack;
    } else if (job.count !== blockLeaves) {
      subtrees = [...subtrees, ...result.stack];
    } else {
      // A whole aligned block is one perfect subtree at blockLevel: push it like a leaf, levels up.
      let h = result.stack[0]!;
      let m = job.first / blockLeaves;
      let level = blockLevel;
      const scratch = Buffer.alloc(65);
      scratch[0] = 0x01;
      while (m % 2 === 1) {
        scratch.write(subtrees.pop()!, 1, 'latin1');
        scratch.write(h, 33, 'latin1');
        h = hash(scratch);
        m = (m - 1) / 2;
        level++;
        if (level >= nodeLevel) emit([level, m, h]);
      }
      subtrees.push(h);
    }
    size = end;
    return whole ? checkAt(size, subtrees) : true;
  };

  if (!checkAt(size, subtrees)) return failed();
  let pool: HashPool | null = null;
  const inflight: { job: BlockJob; result: Promise<BlockResult> }[] = [];
  try {
    // An unaligned start (an incremental check, a bundle that starts mid-tree) continues the whole
    // frontier on this thread up to the first block boundary.
    if (size % blockLeaves !== 0 && size < end) {
      const to = Math.min(end, Math.ceil(size / blockLeaves) * blockLeaves);
      const run = input.read(size, to);
      if (run === null) return failed();
      const job = jobFor(size, to, run, true);
      if (!consume(job, hashLeafBlock(hash, job), true)) return failed();
      input.onProgress?.(size);
    }
    if (input.workers > 0 && end - size > blockLeaves) pool = createHashPool(input.workers);
    // A few blocks in flight keep the workers busy while this thread reads; memory stays bounded.
    const maxInflight = Math.max(2, input.workers * 2);
    let next = size;
    let unreadable = false;
    for (;;) {
      while (!unreadable && next < end && inflight.length < maxInflight) {
        const to = Math.min(end, next + blockLeaves);
        const run = input.read(next, to);
        if (run === null) {
          unreadable = true;
          break;
        }
        const job = jobFor(next, to, run, false);
        const result = pool ? pool.run(job) : Promise.resolve(hashLeafBlock(hash, job));
        result.catch(() => undefined); // awaited in order below; a worker error ends the pass there
        inflight.push({ job, result });
        next = to;
      }
      const item = inflight.shift();
      if (item === undefined) break;
      if (!consume(item.job, await item.result, false)) return failed();
      input.onProgress?.(size);
    }
    if (unreadable || size !== end) return failed();
  } catch {
    return failed();
  } finally {
    await Promise.allSettled(inflight.map((i) => i.result));
    await pool?.close();
  }
  if (t < targets.length) return failed();
  return { ok: true, frontier: toFrontier(size, subtrees), checked: end - start.size };
}
