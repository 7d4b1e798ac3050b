import os from 'node:os';

/**
 * How a verifier hashes the leaves. 'reference' is the plain replay, one leaf at a time on this
 * thread: the path every finding is reported from, and what tests hold the fast path against.
 * Otherwise leaves go in aligned blocks of `blockLeaves` (a power of two) to `workers` threads
 * (0: the same block kernel on this thread).
 */
export type Hashing = 'reference' | { readonly workers?: number; readonly blockLeaves?: number };

export type HashingPlan = 'reference' | { readonly workers: number; readonly blockLeaves: number };

/** About 4 MB per block: large enough that per-block costs vanish, small enough to keep a few in flight. */
const BLOCK_BYTES = 4 << 20;

export function hashingPlan(
  hashing: Hashing | undefined,
  leaves: number,
  averageLeafBytes: number,
): HashingPlan {
  if (hashing === 'reference') return 'reference';
  const fit = 2 ** Math.floor(Math.log2(BLOCK_BYTES / Math.max(64, averageLeafBytes)));
  const blockLeaves = hashing?.blockLeaves ?? Math.min(1 << 14, Math.max(1 << 8, fit));
  // Starting a thread costs tens of milliseconds; below two blocks it is not worth it.
  const workers =
    hashing?.workers ??
    (leaves < 2 * blockLeaves ? 0 : Math.min(4, os.availableParallelism?.() ?? os.cpus().length));
  return { workers, blockLeaves };
}
