import crypto from 'node:crypto';

/**
 * The RFC 9162 s2.1 Merkle tree (the Certificate Transparency tree): leaf = SHA-256(0x00 || data),
 * node = SHA-256(0x01 || left || right), split at the largest power of two, never duplicating a
 * node (Bitcoin's duplication produced CVE-2012-2459). The domain-separation prefixes keep an
 * interior node from passing as a leaf (RFC 6962 s2.1).
 */

export const HASH_SIZE = 32;

// crypto.hash (Node >= 20.12) skips the Hash object and is about 40% faster per small input.
const oneShot = (crypto as unknown as { hash?: (alg: string, data: Uint8Array, enc: 'buffer') => Buffer })
  .hash;
const sha256: (data: Uint8Array) => Buffer = oneShot
  ? (data) => oneShot('sha256', data, 'buffer')
  : (data) => crypto.createHash('sha256').update(data).digest();

export const EMPTY_ROOT: Buffer = sha256(new Uint8Array(0));

let leafScratch = Buffer.allocUnsafe(4096);

export function leafHash(data: Uint8Array): Buffer {
  const length = data.length + 1;
  if (leafScratch.length < length) leafScratch = Buffer.allocUnsafe(Math.max(length, leafScratch.length * 2));
  leafScratch[0] = 0x00;
  leafScratch.set(data, 1);
  return sha256(leafScratch.subarray(0, length));
}

const nodeScratch = Buffer.alloc(1 + 2 * HASH_SIZE);

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  nodeScratch[0] = 0x01;
  nodeScratch.set(left, 1);
  nodeScratch.set(right, 1 + HASH_SIZE);
  return sha256(nodeScratch);
}

/** Largest power of two strictly below n (n >= 2), as RFC 9162 s2.1.1 splits. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The right edge of the tree as a compact range: the roots of the perfect subtrees that cover
 * leaves [0, size), largest first (one per set bit of size). Appending costs O(log n) hashes
 * and the root is the right-to-left fold of these hashes.
 */
export class Frontier {
  private constructor(
    private sizeValue: number,
    private readonly hashes: Buffer[],
  ) {}

  static empty(): Frontier {
    return new Frontier(0, []);
  }

  /** From stored hashes; throws if their count does not match the size. */
  static of(size: number, hashes: readonly Uint8Array[]): Frontier {
    if (!Number.isSafeInteger(size) || size < 0) throw new Error(`bad tree size ${size}`);
    if (hashes.length !== popcount(size)) {
      throw new Error(`a frontier of size ${size} has ${popcount(size)} hashes, not ${hashes.length}`);
    }
    for (const hash of hashes)
      if (hash.length !== HASH_SIZE) throw new Error('frontier hash is not 32 bytes');
    return new Frontier(
      size,
      hashes.map((h) => Buffer.from(h)),
    );
  }

  get size(): number {
    return this.sizeValue;
  }

  /** The perfect-subtree hashes, largest first. */
  get subtrees(): readonly Buffer[] {
    return this.hashes;
  }

  clone(): Frontier {
    return new Frontier(this.sizeValue, [...this.hashes]);
  }

  /**
   * Adds one leaf hash. `onPerfect` sees every perfect subtree completed by the merge
   * (level >= 1, index at that level), so callers can keep the ones proofs will need.
   */
  push(leaf: Buffer, onPerfect?: (level: number, index: number, hash: Buffer) => void): void {
    let hash = leaf;
    let size = this.sizeValue;
    let level = 0;
    while (size % 2 === 1) {
      hash = nodeHash(this.hashes.pop()!, hash);
      size = (size - 1) / 2;
      level++;
      if (onPerfect) onPerfect(level, size, hash);
    }
    this.hashes.push(hash);
    this.sizeValue++;
  }

  root(): Buffer {
    if (this.hashes.length === 0) return EMPTY_ROOT;
    let root = this.hashes[this.hashes.length - 1]!;
    for (let i = this.hashes.length - 2; i >= 0; i--) root = nodeHash(this.hashes[i]!, root);
    return root;
  }

  /** 8-byte big-endian size followed by the subtree hashes. */
  encode(): Buffer {
    const out = Buffer.alloc(8 + this.hashes.length * HASH_SIZE);
    out.writeBigUInt64BE(BigInt(this.sizeValue), 0);
    this.hashes.forEach((h, i) => h.copy(out, 8 + i * HASH_SIZE));
    return out;
  }

  static decode(bytes: Uint8Array): Frontier {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (buf.length < 8 || (buf.length - 8) % HASH_SIZE !== 0)
      throw new Error('frontier bytes have a bad length');
    const size = Number(buf.readBigUInt64BE(0));
    const hashes: Buffer[] = [];
    for (let o = 8; o < buf.length; o += HASH_SIZE) hashes.push(buf.subarray(o, o + HASH_SIZE));
    return Frontier.of(size, hashes);
  }
}

export function popcount(n: number): number {
  let count = 0;
  while (n > 0) {
    if (n % 2 === 1) count++;
    n = Math.floor(n / 2);
  }
  return count;
}

/** Root of the perfect subtree at (level, index): it covers leaves [index*2^level, (index+1)*2^level). */
export type PerfectSubtree = (level: number, index: number) => Buffer;

/** MTH(D[start:end]) from perfect subtrees (RFC 9162 s2.1.1), for any range a proof can name. */
export function rangeHash(perfect: PerfectSubtree, start: number, end: number): Buffer {
  const n = end - start;
  if (n <= 0) throw new Error('empty range');
  if (isPowerOfTwo(n) && start % n === 0) return perfect(Math.log2(n), start / n);
  const k = splitPoint(n);
  return nodeHash(rangeHash(perfect, start, start + k), rangeHash(perfect, start + k, end));
}

/** Frontier at `size`, built from perfect subtrees (used to resume or to check a prefix). */
export function frontierAt(perfect: PerfectSubtree, size: number): Frontier {
  const hashes: Buffer[] = [];
  let start = 0;
  for (let level = 52; level >= 0; level--) {
    const width = 2 ** level;
    if (size - start >= width) {
      hashes.push(perfect(level, start / width));
      start += width;
    }
  }
  return Frontier.of(size, hashes);
}

/** Inclusion proof PATH(index, D[0:size]) (RFC 9162 s2.1.3.1), leaf-side first. */
export function inclusionProof(perfect: PerfectSubtree, index: number, size: number): Buffer[] {
  if (!(index >= 0 && index < size)) throw new Error(`leaf ${index} is not in a tree of size ${size}`);
  const path: Buffer[] = [];
  const walk = (m: number, start: number, end: number): void => {
    const n = end - start;
    if (n <= 1) return;
    const k = splitPoint(n);
    if (m < k) {
      walk(m, start, start + k);
      path.push(rangeHash(perfect, start + k, end));
    } else {
      walk(m - k, start + k, end);
      path.push(rangeHash(perfect, start, start + k));
    }
  };
  walk(index, 0, size);
  return path;
}

/** Consistency proof PROOF(m, D[0:n]) (RFC 9162 s2.1.4.1). */
export function consistencyProof(perfect: PerfectSubtree, m: number, n: number): Buffer[] {
  if (!(m > 0 && m <= n)) throw new Error(`no consistency proof from size ${m} to ${n}`);
  const proof: Buffer[] = [];
  const sub = (m1: number, start: number, end: number, complete: boolean): void => {
    const size = end - start;
    if (m1 === size) {
      if (!complete) proof.push(rangeHash(perfect, start, end));
      return;
    }
    const k = splitPoint(size);
    if (m1 <= k) {
      sub(m1, start, start + k, complete);
      proof.push(rangeHash(perfect, start + k, end));
    } else {
      sub(m1 - k, start + k, end, false);
      proof.push(rangeHash(perfect, start, start + k));
    }
  };
  sub(m, 0, n, true);
  return proof;
}

/** Perfect subtrees computed from an in-memory list of leaf hashes (tests, small bundles). */
export function perfectFromLeaves(leafHashes: readonly Buffer[]): PerfectSubtree {
  const cache = new Map<string, Buffer>();
  const perfect: PerfectSubtree = (level, index) => {
    if (level === 0) {
      const leaf = leafHashes[index];
      if (leaf === undefined) throw new Error(`no leaf ${index}`);
      return leaf;
    }
    const key = `${level}/${index}`;
    let hash = cache.get(key);
    if (hash === undefined) {
      hash = nodeHash(perfect(level - 1, 2 * index), perfect(level - 1, 2 * index + 1));
      cache.set(key, hash);
    }
    return hash;
  };
  return perfect;
}

const isHash = (h: unknown): h is Uint8Array => h instanceof Uint8Array && h.length === HASH_SIZE;
const isSize = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;

/**
 * RFC 9162 s2.1.3.2. Returns false (never throws) on any malformed input: hashes that are not
 * exactly 32 bytes, an index outside the tree, a proof of the wrong length.
 */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!isSize(index) || !isSize(size) || index >= size) return false;
  if (!isHash(leaf) || !isHash(root) || !proof.every(isHash)) return false;
  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && Buffer.from(r).equals(root);
}

/**
 * RFC 9162 s2.1.4.2. Like the reference implementation (transparency-dev/merkle), a proof from
 * the empty tree is refused even to an empty tree: it proves nothing.
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  root1: Uint8Array,
  root2: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!isSize(size1) || !isSize(size2) || size1 === 0 || size2 < size1) return false;
  // Equal sizes compare the roots as given, as the reference does (probe "sizes are equal one");
  // checkpoint parsing already refuses roots that are not 32 bytes.
  if (size1 === size2) return proof.length === 0 && Buffer.from(root1).equals(root2);
  if (!isHash(root1) || !isHash(root2) || !proof.every(isHash)) return false;
  if (proof.length === 0) return false;
  // s2.1.4.2 step 2: when size1 is a power of two its root is itself the first proof node.
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = (fn - 1) / 2;
    sn = Math.floor(sn / 2);
  }
  let fr: Uint8Array = path[0]!;
  let sr: Uint8Array = path[0]!;
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!;
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && Buffer.from(fr).equals(root1) && Buffer.from(sr).equals(root2);
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && Number.isInteger(Math.log2(n));
}
