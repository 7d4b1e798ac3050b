import fs from 'node:fs';
import { parseCheckpointText, type Checkpoint } from '../checkpoint';
import { decodeLeaf } from '../leaf';
import { Frontier, verifyConsistency } from '../merkle';
import { openNote, parseNote, type NoteVerifier } from '../note';
import { fastReplay, type LeafRun } from './block-replay';
import {
  BundleFormatError,
  fileSource,
  memorySource,
  parseBundleLayout,
  parseManifest,
  type BundleLayout,
  type ByteSource,
} from './bundle-format';
import { hashingPlan, type Hashing } from './hashing';
import { Replay, type ReplayOutcome, type ReplayTarget } from './replay';
import { deriveTrust, verifiersFor } from './trust';
import { consistent, inconsistent, unknown, type Verdict } from './verdict';

/**
 * The auditor's verifier: no database, no keychain, no network. Trust comes only from the keys
 * and checkpoints passed in; everything else is recomputed from the leaf bytes in the bundle.
 */
export interface BundleVerifyInput {
  /** The pharmacy's checkpoint keys, as vkey strings obtained outside the bundle. */
  readonly trustedKeys: readonly NoteVerifier[];
  /** Signed checkpoints the auditor obtained earlier (from a witness, a trading partner, a past audit). */
  readonly externalCheckpoints?: readonly { readonly name: string; readonly text: string }[];
  readonly onProgress?: (done: number, total: number) => void;
  /** How leaves are hashed (see hashing.ts); the default suits the bundle's size. */
  readonly hashing?: Hashing;
}

export interface BundleVerifyReport {
  readonly verdict: Verdict;
  /** What else the auditor should know: keys ignored, checkpoints that could not be used. */
  readonly notes: readonly string[];
}

const CHUNK = 1 << 16;

/** Verifies a bundle already in memory. */
export function verifyBundle(bytes: Buffer, input: BundleVerifyInput): Promise<BundleVerifyReport> {
  return verifySource(memorySource(bytes), input);
}

/**
 * Verifies a bundle file, reading it in blocks: memory stays at a few blocks plus 16 bytes per
 * record, however large the file. Throws the file system's error if the file cannot be read.
 */
export async function verifyBundleFile(file: string, input: BundleVerifyInput): Promise<BundleVerifyReport> {
  const fd = fs.openSync(file, 'r');
  try {
    return await verifySource(fileSource(fd, fs.fstatSync(fd).size), input);
  } finally {
    fs.closeSync(fd);
  }
}

async function verifySource(source: ByteSource, input: BundleVerifyInput): Promise<BundleVerifyReport> {
  const notes: string[] = [];
  const done = (verdict: Verdict): BundleVerifyReport => ({ verdict, notes });
  let bundle: BundleLayout;
  try {
    bundle = parseBundleLayout(source);
  } catch (error) {
    if (error instanceof BundleFormatError)
      return done(inconsistent(`the bundle file is malformed: ${error.message}`, null));
    throw error;
  }
  const { header } = bundle;
  if (input.trustedKeys.length === 0)
    return done(unknown('anything: no trusted key was given (--trusted-key)'));

  const trust = deriveTrust(
    input.trustedKeys,
    header.keys.flatMap((k) => (k.rotation === null ? [] : [k.rotation])),
  );
  if (!trust.ok) return done(inconsistent(trust.reason, null));
  const trustedVkeys = new Set(trust.keys.map((k) => k.verifier.vkey));
  for (const k of header.keys) {
    if (!trustedVkeys.has(k.vkey))
      notes.push(`the bundle lists the key ${k.vkey}; you did not trust it, so it was ignored`);
  }
  for (const k of trust.keys)
    if (k.via === 'rotation') notes.push(`trusted through a signed key rotation: ${k.verifier.vkey}`);

  const allTrusted = trust.keys.map((k) => k.verifier);
  const manifestCheck = openNote(header.manifest, allTrusted);
  if (!manifestCheck.ok) {
    if (manifestCheck.reason === 'no-known-signature') {
      return done(
        unknown(
          `this bundle: it is not signed by any key you trust (it names ${header.keys.map((k) => k.vkey).join(', ') || 'no key'})`,
        ),
      );
    }
    return done(inconsistent(`the bundle's manifest ${manifestCheck.message}`, null));
  }
  let manifest;
  try {
    manifest = parseManifest(manifestCheck.text, bundle.version);
  } catch (error) {
    return done(inconsistent(`the signed manifest is malformed: ${(error as Error).message}`, null));
  }
  if (bundle.version === 2 && manifest.headerDigest !== bundle.headerDigest) {
    return done(
      inconsistent(
        `the header (bytes ${bundle.headerAt[0]}..${bundle.headerAt[1] - 1}: keys, checkpoints, tree prefix, alarm) ` +
          'is not the one the manifest signed: it was changed',
        null,
      ),
    );
  }
  if (bundle.version === 1) {
    notes.push(
      'format version 1: the header (keys, checkpoints, tree prefix) is not covered by a signature; ' +
        'the manifest, the checkpoints and the records are',
    );
  }
  if (header.alarm) notes.push(`exported while the ledger stood under an alarm: ${header.alarm}`);
  const count = bundle.starts.length;
  if (header.prefix.size !== manifest.first) {
    return done(
      inconsistent(
        `the tree prefix covers ${header.prefix.size} records, but the manifest says the bundle starts at ${manifest.first}`,
        null,
      ),
    );
  }
  if (header.checkpoints.length !== manifest.checkpoints) {
    return done(
      inconsistent(
        `the signed manifest lists ${manifest.checkpoints} checkpoints, but the file holds ${header.checkpoints.length}`,
        null,
      ),
    );
  }

  // Every checkpoint: strict body, signed by a key trusted at its size, and extending the one before.
  const checkpoints: Checkpoint[] = [];
  const unknowns: string[] = [];
  for (let i = 0; i < header.checkpoints.length; i++) {
    const entry = header.checkpoints[i]!;
    const label = `checkpoint ${i} in the bundle`;
    let body: Checkpoint;
    try {
      body = parseCheckpointText(parseNote(entry.note).text);
    } catch (error) {
      return done(inconsistent(`${label} is malformed (${(error as Error).message})`, null));
    }
    const opened = openNote(entry.note, verifiersFor(trust.keys, body.size));
    if (!opened.ok && opened.reason !== 'no-known-signature') {
      return done(inconsistent(`${label} (size ${body.size}): ${opened.message}`, null));
    }
    if (!opened.ok) unknowns.push(`${label} (size ${body.size}), which no key you trust signed`);
    if (body.origin !== manifest.origin) {
      return done(inconsistent(`${label} belongs to the log ${body.origin}, not ${manifest.origin}`, null));
    }
    const previous = checkpoints[i - 1];
    const proof = bundle.proofs[i]!;
    if (previous === undefined) {
      if (proof.length !== 0)
        return done(inconsistent(`${label} has a consistency proof but no predecessor`, null));
    } else if (!verifyConsistency(previous.size, body.size, previous.root, body.root, proof)) {
      return done(
        inconsistent(
          `${label} (size ${body.size}) does not extend checkpoint ${i - 1} (size ${previous.size}): the consistency proof fails`,
          body.size > previous.size ? previous.size : null,
        ),
      );
    }
    checkpoints.push(body);
  }
  const head = checkpoints[checkpoints.length - 1];
  if (head === undefined || head.size !== manifest.end) {
    return done(
      inconsistent(
        `the bundle's last checkpoint does not cover its last record ${manifest.end - 1}`,
        manifest.end - 1,
      ),
    );
  }

  const targets: ReplayTarget[] = checkpoints
    .map((c, i) => ({ size: c.size, root: c.root, label: `checkpoint ${i} (size ${c.size})` }))
    .filter((t) => t.size >= manifest.first);
  for (const ext of input.externalCheckpoints ?? []) {
    const outcome = placeExternal(
      ext,
      allTrusted,
      manifest.origin,
      manifest.first,
      manifest.end,
      checkpoints,
    );
    if (outcome.kind === 'target') targets.push(outcome.target);
    else if (outcome.kind === 'unknown') unknowns.push(outcome.reason);
    else if (outcome.kind === 'inconsistent') return done(inconsistent(outcome.reason, outcome.seq));
    else notes.push(outcome.note);
  }
  targets.sort((a, b) => a.size - b.size);

  let start: Frontier;
  try {
    start = Frontier.of(header.prefix.size, bundle.prefixHashes);
  } catch (error) {
    return done(inconsistent(`the tree prefix is malformed (${(error as Error).message})`, null));
  }
  const { starts, ends } = bundle;
  const leafAt = (i: number) => source.read(starts[i]!, ends[i]! - starts[i]!);
  const plan = hashingPlan(input.hashing, count, count === 0 ? 0 : (ends[count - 1]! - starts[0]!) / count);
  let replayStart = start;
  let fastChecked: ReplayOutcome | null = null;
  if (plan !== 'reference') {
    const first = manifest.first;
    const fast = await fastReplay({
      start,
      end: first + count,
      targets,
      read: (from, to) => leafRun(source, bundle, from - first, to - first),
      workers: plan.workers,
      blockLeaves: plan.blockLeaves,
      onProgress: (seq) => input.onProgress?.(seq - first, count),
    });
    if (fast.ok) fastChecked = fast;
    else replayStart = fast.restart;
  }
  const replay = new Replay(replayStart, targets, (from, to) => {
    for (let seq = from; seq < to; seq++) {
      try {
        const envelope = decodeLeaf(leafAt(seq - manifest.first));
        if (envelope.seq !== seq) return { seq, reason: `it says it is record ${envelope.seq}` };
      } catch (error) {
        return { seq, reason: (error as Error).message };
      }
    }
    return null;
  });
  for (let i = replayStart.size - manifest.first; fastChecked === null && i < count; i += CHUNK) {
    const failure = replay.feed(leafRange(source, bundle, i, Math.min(count, i + CHUNK)));
    if (failure) return done(inconsistent(failure.reason, failure.firstBadSeq, failure.lastBadSeq));
    input.onProgress?.(Math.min(count, i + CHUNK), count);
    if (i + CHUNK < count) await new Promise((resolve) => setImmediate(resolve));
  }
  const outcome = fastChecked ?? replay.finish();
  if (!outcome.ok) return done(inconsistent(outcome.reason, outcome.firstBadSeq, outcome.lastBadSeq));
  // Checked after the replay, which names the first bad record; what is left is an added tail.
  if (count !== manifest.end - manifest.first) {
    const firstBad = manifest.first + Math.min(count, manifest.end - manifest.first);
    return done(
      inconsistent(
        `the signed manifest lists records ${manifest.first}..${manifest.end - 1}, but the file holds ${count} records` +
          (count < manifest.end - manifest.first ? ': records were removed' : ': records were added'),
        firstBad,
      ),
    );
  }
  if (unknowns.length > 0) return done(unknown(unknowns.join('; ')));
  const external = input.externalCheckpoints?.length ?? 0;
  const scope =
    manifest.first > 0
      ? ` (records ${manifest.first}..${manifest.end - 1}; earlier ones are in the tree only as hashes)`
      : '';
  return done(
    consistent(
      count,
      checkpoints.length,
      (external > 0
        ? `, and your ${external} checkpoint${external > 1 ? 's are' : ' is'} part of this history`
        : '') + scope,
    ),
  );
}

/** Leaves from..to-1 of the file (indexes, not seqs), read in one piece. */
function* leafRange(source: ByteSource, bundle: BundleLayout, from: number, to: number): Generator<Buffer> {
  const { starts, ends } = bundle;
  const base = starts[from]!;
  const bytes = source.read(base, ends[to - 1]! - base);
  for (let i = from; i < to; i++) yield bytes.subarray(starts[i]! - base, ends[i]! - base);
}

/**
 * Leaves from..to-1 (indexes) as one block for the hashing kernel: a fresh copy of their bytes,
 * with the newline before each leaf overwritten by the 0x00 leaf-hash prefix (RFC 9162 s2.1.1).
 */
function leafRun(source: ByteSource, bundle: BundleLayout, from: number, to: number): LeafRun {
  const { starts, ends } = bundle;
  const base = starts[from]! - 1;
  const length = ends[to - 1]! - base;
  const bytes = source.copy(base, length);
  const bounds = new Int32Array(to - from + 1);
  for (let i = from; i < to; i++) {
    const at = starts[i]! - 1 - base;
    bytes[at] = 0x00;
    bounds[i - from] = at;
  }
  bounds[to - from] = length;
  return { bytes, bounds };
}

type Placement =
  | { kind: 'target'; target: ReplayTarget }
  | { kind: 'unknown'; reason: string }
  | { kind: 'inconsistent'; reason: string; seq: number | null }
  | { kind: 'checked'; note: string };

/** Where an auditor's own checkpoint fits: recomputed from leaves, matched to a bundle checkpoint, or out of reach. */
function placeExternal(
  ext: { name: string; text: string },
  trusted: NoteVerifier[],
  origin: string,
  first: number,
  end: number,
  checkpoints: readonly Checkpoint[],
): Placement {
  const label = `your checkpoint ${ext.name}`;
  const opened = openNote(ext.text, trusted);
  if (!opened.ok) return { kind: 'unknown', reason: `${label}: ${opened.message}` };
  let cp: Checkpoint;
  try {
    cp = parseCheckpointText(opened.text);
  } catch (error) {
    return { kind: 'unknown', reason: `${label}: ${(error as Error).message}` };
  }
  if (cp.origin !== origin)
    return { kind: 'unknown', reason: `${label}: it is for the log ${cp.origin}, not ${origin}` };
  if (cp.size > end) {
    return {
      kind: 'unknown',
      reason:
        `${label} (size ${cp.size}): it is newer than this bundle, which ends at ${end} records; ` +
        'if you received it before the bundle was made, records were cut from the end',
    };
  }
  if (cp.size >= first) {
    return { kind: 'target', target: { size: cp.size, root: cp.root, label: `${label} (size ${cp.size})` } };
  }
  const same = checkpoints.find((c) => c.size === cp.size);
  if (same === undefined) {
    return {
      kind: 'unknown',
      reason: `${label} (size ${cp.size}): this bundle starts at record ${first} and has no checkpoint of that size; ask for a bundle that starts earlier`,
    };
  }
  if (!same.root.equals(cp.root)) {
    return {
      kind: 'inconsistent',
      seq: null,
      reason: `${label} has another root than the bundle's checkpoint of the same size: the log was rewritten`,
    };
  }
  return { kind: 'checked', note: `${label} matches the bundle's checkpoint of size ${cp.size}` };
}
