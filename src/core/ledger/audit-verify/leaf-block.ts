import crypto from 'node:crypto';

/**
 * The hashing kernel of the fast verification pass: RFC 9162 leaf and node hashes over one block
 * of leaves, plus the same seq check as {@link leafSeqHint}. It runs in worker threads, so it is
 * written to be shipped as source text (`hashLeafBlock.toString()`): it uses only its arguments
 * and globals (Buffer), no module-level names, and defines no inner functions (a bundler keeping
 * function names would wrap them in a helper the worker does not have). Hashes are 32-char
 * latin1 strings, not Buffers:
 * a Buffer per digest costs a separate allocation and makes 1M-leaf runs GC-bound (about 3x slower
 * per hash on Node 20, measured in bench/ledger.ts).
 */
export interface BlockJob {
  /** Seq of the first leaf of the block. */
  readonly first: number;
  /** Leaves, each preceded by one 0x00 byte (the RFC 9162 leaf-hash prefix). */
  readonly bytes: Uint8Array;
  /**
   * Where leaf i (with its prefix) lies: bytes[bounds[i], bounds[i+1]), count+1 offsets; or the leaf
   * lengths as decimal text separated by commas (SQLite's group_concat), each leaf one 0x00 after the last.
   */
  readonly bounds: Int32Array | Float64Array | string;
  readonly count: number;
  /**
   * The tree position the block's subtree stack starts from: `first` for a block aligned to its
   * size (stack empty), 0 when continuing the whole tree's frontier (stack = its subtrees).
   */
  readonly origin: number;
  readonly stack: readonly string[];
  /** Tree sizes in (first, first+count], ascending, at which to copy the stack (checkpoint sizes). */
  readonly snapshots: readonly number[];
  /** Completed subtrees at or above this level are returned (the stored ones, to compare). */
  readonly nodeLevel: number;
}

export interface BlockResult {
  /** Seq of the first leaf whose own "seq" is not its position, or -1. Hashing stops before it. */
  readonly misplaced: number;
  /** The bounds do not fit the bytes: the block was not read as written. */
  readonly malformed: boolean;
  /** Leaves hashed. */
  readonly done: number;
  readonly stack: string[];
  /** One stack copy per snapshot size reached, in order. */
  readonly snapshots: string[][];
  /** Completed subtrees at or above nodeLevel, in completion order: level, index, hash, level, … */
  readonly nodes: (number | string)[];
}

export type StringHash = (data: Uint8Array) => string;

/** SHA-256 as a latin1 string; the one-shot crypto.hash (Node >= 20.12) skips the Hash object. */
export const sha256Latin1: StringHash =
  typeof (crypto as { hash?: unknown }).hash === 'function'
    ? (data) => crypto.hash('sha256', data, 'binary')
    : (data) => crypto.createHash('sha256').update(data).digest('binary');

export function hashLeafBlock(hash: StringHash, job: BlockJob): BlockResult {
  const bytes = job.bytes;
  const count = job.count;
  const end = job.first + count;
  let bounds: Int32Array | Float64Array = typeof job.bounds === 'string' ? new Float64Array(0) : job.bounds;
  if (typeof job.bounds === 'string') {
    // "len,len,…": leaf i starts one byte (its 0x00 prefix) after the end of leaf i-1.
    const text = job.bounds;
    const parsed = new Float64Array(count + 1);
    let k = 0;
    let n = 0;
    let digits = 0;
    for (let p = 0; p <= text.length && k <= count; p++) {
      const c = p < text.length ? text.charCodeAt(p) : 44;
      if (c === 44 && digits > 0 && k < count) {
        parsed[k + 1] = parsed[k]! + 1 + n;
        k++;
        n = 0;
        digits = 0;
      } else if (c >= 48 && c <= 57 && digits < 12) {
        n = n * 10 + (c - 48);
        digits++;
      } else {
        k = -1;
        break;
      }
    }
    if (k === count) bounds = parsed;
  }
  const stack = job.stack.slice();
  const snapshots: string[][] = [];
  const nodes: (number | string)[] = [];
  let malformed = bounds.length !== count + 1 || bounds[0] !== 0 || bounds[count] !== bytes.length;
  for (let i = 0; i < count && !malformed; i++) {
    const s = bounds[i]!;
    malformed = bounds[i + 1]! <= s || bytes[s] !== 0;
  }
  if (malformed) return { misplaced: -1, malformed: true, done: 0, stack, snapshots, nodes };
  // latin1Write: Buffer's own fast path under write(s, offset, 'latin1'), without the encoding lookup.
  const scratch = Buffer.alloc(65) as Buffer & { latin1Write(s: string, offset: number): number };
  scratch[0] = 0x01;
  const origin = job.origin;
  const nodeLevel = job.nodeLevel;
  const wanted = job.snapshots;
  let w = 0;
  let seq = job.first;
  for (; seq < end; seq++) {
    const i = seq - job.first;
    const s = bounds[i]!;
    const e = bounds[i + 1]!;
    // The last `,"seq":` in the leaf (prefix byte excluded), then its digits, exactly as leafSeqHint.
    // Searched right to left, skipping by the byte under the window's first position (Horspool):
    // the smallest shift that could line it up with the same byte of the pattern.
    let at = -1;
    for (let q = e - 7; q > s;) {
      const c = bytes[q]!;
      if (
        c === 0x2c &&
        bytes[q + 1] === 0x22 &&
        bytes[q + 2] === 0x73 &&
        bytes[q + 3] === 0x65 &&
        bytes[q + 4] === 0x71 &&
        bytes[q + 5] === 0x22 &&
        bytes[q + 6] === 0x3a
      ) {
        at = q;
        break;
      }
      q -= c === 0x22 ? 1 : c === 0x73 ? 2 : c === 0x65 ? 3 : c === 0x71 ? 4 : c === 0x3a ? 6 : 7;
    }
    if (at < 0) break;
    const d0 = at + 7;
    let d = d0;
    let hint = 0;
    for (; d < e; d++) {
      const c = bytes[d]!;
      if (c < 0x30 || c > 0x39) break;
      hint = hint * 10 + (c - 0x30);
    }
    if (d === d0 || (bytes[d0] === 0x30 && d - d0 > 1) || d >= e || bytes[d] !== 0x2c || hint !== seq) break;

    let h = hash(bytes.subarray(s, e));
    let m = seq - origin;
    let level = 0;
    while (m % 2 === 1) {
      scratch.latin1Write(stack.pop()!, 1);
      scratch.latin1Write(h, 33);
      h = hash(scratch);
      m = (m - 1) / 2;
      level++;
      if (level >= nodeLevel) nodes.push(level, origin / 2 ** level + m, h);
    }
    stack.push(h);
    while (w < wanted.length && wanted[w]! <= seq + 1) {
      if (wanted[w] === seq + 1) snapshots.push(stack.slice());
      w++;
    }
  }
  return {
    misplaced: seq < end ? seq : -1,
    malformed: false,
    done: seq - job.first,
    stack,
    snapshots,
    nodes,
  };
}

/** Root of a frontier given as latin1 subtree hashes, largest first (RFC 9162: fold from the right). */
export function foldRoot(hash: StringHash, subtrees: readonly string[]): string {
  const scratch = Buffer.alloc(65) as Buffer & { latin1Write(s: string, offset: number): number };
  scratch[0] = 0x01;
  let root = subtrees[subtrees.length - 1]!;
  for (let i = subtrees.length - 2; i >= 0; i--) {
    scratch.latin1Write(subtrees[i]!, 1);
    scratch.latin1Write(root, 33);
    root = hash(scratch);
  }
  return root;
}
