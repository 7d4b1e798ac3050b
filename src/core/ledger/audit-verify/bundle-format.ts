import crypto from 'node:crypto';
import fs from 'node:fs';
import { canonicalize, isCanonical, parseStrict } from '../jcs';
import { HASH_SIZE } from '../merkle';
import { decodeBase64Strict } from '../note';

/**
 * The audit bundle file (docs/audit-bundle.md is the byte-level specification). Version 2, written
 * since issue 17, signs the whole header: the manifest sits after it and names its SHA-256.
 *
 *   custodia-audit-bundle/v2\n
 *   header <N>\n  <N bytes: RFC 8785 JSON, without the manifest>\n
 *   manifest <M>\n  <M bytes: signed note, naming the header's SHA-256>\n
 *   leaves <COUNT>\n  COUNT times: <leaf bytes>\n
 *   end\n
 *
 * Version 1 (still verified, with a note) had no manifest section: the manifest was a member of
 * the header, and nothing signed the keys, checkpoints or prefix around it.
 */
export const BUNDLE_MAGIC = 'custodia-audit-bundle/v2';
export const BUNDLE_MAGIC_V1 = 'custodia-audit-bundle/v1';
export const MANIFEST_HEADER = 'custodia.app/audit-bundle/v2';
export const MANIFEST_HEADER_V1 = 'custodia.app/audit-bundle/v1';

export interface BundleHeader {
  readonly format: typeof BUNDLE_MAGIC | typeof BUNDLE_MAGIC_V1;
  /** A signed note: what the bundle holds, signed by the log's key (v2: its own section of the file). */
  readonly manifest: string;
  /** v2: why the ledger was read-only when this was exported (a standing alarm), or null. */
  readonly alarm?: string | null;
  readonly keys: readonly {
    readonly vkey: string;
    readonly validFromSize: number;
    readonly rotation: string | null;
  }[];
  /** Every checkpoint up to the bundle's end, by size, each with the RFC 9162 proof from the one before. */
  readonly checkpoints: readonly {
    readonly note: string;
    readonly consistencyFromPrevious: readonly string[];
  }[];
  /** The tree before the first leaf in the bundle: roots of the perfect subtrees covering [0, size). */
  readonly prefix: { readonly size: number; readonly subtrees: readonly string[] };
}

export interface Manifest {
  readonly origin: string;
  readonly first: number;
  readonly end: number;
  readonly checkpoints: number;
  readonly createdMs: number;
  readonly scopeFrom: string;
  readonly scopeTo: string;
  /** v2: base64 SHA-256 of the header bytes exactly as in the file. */
  readonly headerDigest?: string;
}

/** A version 2 manifest (version 1 manifests are only read). */
export function formatManifest(m: Manifest & { headerDigest: string }): string {
  return [
    MANIFEST_HEADER,
    `origin ${m.origin}`,
    `records ${m.first} ${m.end}`,
    `checkpoints ${m.checkpoints}`,
    `created ${m.createdMs}`,
    `scope ${m.scopeFrom} ${m.scopeTo}`,
    `header ${m.headerDigest}`,
    '',
  ].join('\n');
}

const N = '(0|[1-9][0-9]{0,15})';
const MANIFEST_BODY = `\\norigin (\\S+)\\nrecords ${N} ${N}\\ncheckpoints ${N}\\ncreated ${N}\\nscope (\\S+) (\\S+)\\n`;
const MANIFEST_RE_V1 = new RegExp(`^custodia\\.app/audit-bundle/v1${MANIFEST_BODY}$`);
const MANIFEST_RE_V2 = new RegExp(
  `^custodia\\.app/audit-bundle/v2${MANIFEST_BODY}header ([A-Za-z0-9+/]{43}=)\\n$`,
);

/** The manifest of a bundle of `version`; the version is signed, so a relabelled file is refused here. */
export function parseManifest(text: string, version: 1 | 2 = 2): Manifest {
  const m = (version === 2 ? MANIFEST_RE_V2 : MANIFEST_RE_V1).exec(text);
  if (m === null) {
    const signed = /^custodia\.app\/audit-bundle\/v([0-9]+)\n/.exec(text)?.[1];
    if (signed !== undefined && signed !== String(version)) {
      throw new BundleFormatError(
        `the manifest was signed for format version ${signed}, but the file says version ${version}: it was relabelled`,
      );
    }
    throw new BundleFormatError(`the manifest does not have the version ${version} layout`);
  }
  const manifest = {
    origin: m[1]!,
    first: Number(m[2]),
    end: Number(m[3]),
    checkpoints: Number(m[4]),
    createdMs: Number(m[5]),
    scopeFrom: m[6]!,
    scopeTo: m[7]!,
    ...(version === 2 ? { headerDigest: m[8]! } : {}),
  };
  if (manifest.end < manifest.first) throw new BundleFormatError('the manifest record range is reversed');
  return manifest;
}

export class BundleFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleFormatError';
  }
}

/** The header's bytes in the file: v2 leaves the manifest out (it has its own section and signs these). */
export function encodeHeader(header: BundleHeader): Buffer {
  if (header.format === BUNDLE_MAGIC_V1) return Buffer.from(canonicalize(header), 'utf8');
  const { manifest: _signedSeparately, ...rest } = header;
  return Buffer.from(canonicalize({ ...rest, alarm: header.alarm ?? null }), 'utf8');
}

/** What a v2 manifest names: base64 SHA-256 of the header bytes. */
export function headerDigest(headerBytes: Buffer): string {
  return crypto.createHash('sha256').update(headerBytes).digest('base64');
}

/** Everything before the first leaf: the format line, the header, (v2) the manifest and the leaf count. */
export function bundlePrelude(header: BundleHeader, leafCount: number): Buffer {
  const bytes = encodeHeader(header);
  const manifest = Buffer.from(header.manifest, 'utf8');
  return Buffer.concat([
    Buffer.from(`${header.format}\nheader ${bytes.length}\n`),
    bytes,
    header.format === BUNDLE_MAGIC_V1
      ? Buffer.from('\n')
      : Buffer.concat([Buffer.from(`\nmanifest ${manifest.length}\n`), manifest, Buffer.from('\n')]),
    Buffer.from(`leaves ${leafCount}\n`),
  ]);
}

/** Where each leaf lies in the file: leaf i is bytes[starts[i], ends[i]). */
export interface BundleLayout {
  readonly version: 1 | 2;
  readonly header: BundleHeader;
  /** SHA-256 of the header bytes as read (what a v2 manifest must name). */
  readonly headerDigest: string;
  /** Where the header lies in the file, to name it when it differs from what was signed. */
  readonly headerAt: readonly [number, number];
  readonly prefixHashes: Buffer[];
  readonly proofs: Buffer[][];
  readonly starts: Float64Array;
  readonly ends: Float64Array;
}

export interface ParsedBundle extends BundleLayout {
  readonly bytes: Buffer;
}

/**
 * The bundle's bytes, in memory or in a file. `read` may return a view (memory) or a fresh
 * Buffer (file); `copy` always returns a fresh Buffer that owns its memory (it can be handed to
 * a worker thread); `window` is how much a scan asks for at once.
 */
export interface ByteSource {
  readonly size: number;
  readonly window: number;
  read(pos: number, length: number): Buffer;
  copy(pos: number, length: number): Buffer;
}

export function memorySource(bytes: Buffer): ByteSource {
  const read = (pos: number, length: number) => bytes.subarray(pos, pos + length);
  return {
    size: bytes.length,
    window: bytes.length,
    read,
    copy(pos, length) {
      const view = read(pos, length);
      const out = Buffer.allocUnsafeSlow(view.length);
      view.copy(out);
      return out;
    },
  };
}

/** Reads from an open file descriptor; the caller closes it. */
export function fileSource(fd: number, size: number): ByteSource {
  const read = (pos: number, length: number): Buffer => {
    const out = Buffer.allocUnsafeSlow(Math.max(0, Math.min(length, size - pos)));
    let done = 0;
    while (done < out.length) {
      const n = fs.readSync(fd, out, done, out.length - done, pos + done);
      if (n === 0) throw new BundleFormatError(`the file shrank while it was read (at byte ${pos + done})`);
      done += n;
    }
    return out;
  };
  return { size, window: 1 << 20, read, copy: read };
}

/** Parses the container strictly; any deviation from the layout is a {@link BundleFormatError}. */
export function parseBundle(bytes: Buffer): ParsedBundle {
  return { ...parseBundleLayout(memorySource(bytes)), bytes };
}

/** {@link parseBundle} over any source: reads the header, then scans the leaves for their ends. */
export function parseBundleLayout(source: ByteSource): BundleLayout {
  const size = source.size;
  let pos = 0;
  const line = (what: string): string => {
    const head = source.read(pos, 201);
    const nl = head.indexOf(0x0a);
    if (nl < 0) throw new BundleFormatError(`the ${what} line is missing at byte ${pos}`);
    const text = head.toString('latin1', 0, nl);
    pos += nl + 1;
    return text;
  };
  const magic = line('format');
  if (magic !== BUNDLE_MAGIC && magic !== BUNDLE_MAGIC_V1)
    throw new BundleFormatError(`the file does not start with "${BUNDLE_MAGIC}" (or "${BUNDLE_MAGIC_V1}")`);
  const version = magic === BUNDLE_MAGIC ? 2 : 1;
  const section = (what: string): Buffer => {
    const at = pos;
    const sized = new RegExp(`^${what} (0|[1-9][0-9]{0,9})$`).exec(line(what));
    if (sized === null) throw new BundleFormatError(`the "${what} <length>" line at byte ${at} is malformed`);
    const length = Number(sized[1]);
    if (pos + length + 1 > size || source.read(pos + length, 1)[0] !== 0x0a) {
      throw new BundleFormatError(`the ${what} (from byte ${pos}) is shorter than its stated length`);
    }
    const bytes = source.read(pos, length);
    pos += length + 1;
    return bytes;
  };
  const headerStart = pos;
  const headerBytes = section('header');
  const headerAt = [headerStart, pos] as const;
  if (!isCanonical(headerBytes))
    throw new BundleFormatError(
      `the header (bytes ${headerAt[0]}..${headerAt[1] - 1}) is not RFC 8785 canonical JSON`,
    );
  const parsedHeader = parseStrict(headerBytes);
  if (version === 2) {
    const manifest = section('manifest').toString('utf8');
    if (typeof parsedHeader === 'object' && parsedHeader !== null && !Array.isArray(parsedHeader)) {
      (parsedHeader as Record<string, unknown>).manifest = manifest;
    }
  }
  const header = checkHeader(parsedHeader, version);
  const leavesLine = /^leaves (0|[1-9][0-9]{0,15})$/.exec(line('leaves'));
  if (leavesLine === null) throw new BundleFormatError('the "leaves <count>" line is malformed');
  const count = Number(leavesLine[1]);
  // Every leaf takes at least its newline, so a count beyond the bytes left fails in the scan.
  const capacity = Math.min(count, size - pos + 1);
  const starts = new Float64Array(capacity);
  const ends = new Float64Array(capacity);
  let chunkStart = pos;
  let chunk = source.read(pos, source.window);
  for (let i = 0; i < count; i++) {
    let nl = chunk.indexOf(0x0a, pos - chunkStart);
    while (nl < 0 && chunkStart + chunk.length < size) {
      // The leaf runs past this window: read on from its start, in a larger window if it must.
      const window = chunkStart === pos ? chunk.length * 2 : source.window;
      chunkStart = pos;
      chunk = source.read(pos, window);
      nl = chunk.indexOf(0x0a);
    }
    if (nl < 0) throw new BundleFormatError(`the file ends after ${i} of ${count} leaves`);
    starts[i] = pos;
    ends[i] = chunkStart + nl;
    pos = chunkStart + nl + 1;
  }
  if (size - pos !== 4 || source.read(pos, 4).toString('latin1') !== 'end\n') {
    throw new BundleFormatError(
      'the leaves are not followed by exactly "end\\n" (more leaves, or data after the end)',
    );
  }
  const hash = (b64: string, what: string) => {
    const h = decodeBase64Strict(b64);
    if (h === null || h.length !== HASH_SIZE)
      throw new BundleFormatError(`${what} is not base64 of 32 bytes`);
    return h;
  };
  return {
    version,
    header,
    headerDigest: headerDigest(headerBytes),
    headerAt,
    prefixHashes: header.prefix.subtrees.map((s, i) => hash(s, `prefix subtree ${i}`)),
    proofs: header.checkpoints.map((c, i) =>
      c.consistencyFromPrevious.map((s) => hash(s, `checkpoint ${i}'s proof`)),
    ),
    starts,
    ends,
  };
}

function checkHeader(value: unknown, version: 1 | 2): BundleHeader {
  const fail = (what: string): never => {
    throw new BundleFormatError(`the header's ${what} is malformed`);
  };
  const isObj = (v: unknown, keys: string): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).sort().join(',') === keys;
  const isCount = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
  if (
    !isObj(
      value,
      version === 2
        ? 'alarm,checkpoints,format,keys,manifest,prefix'
        : 'checkpoints,format,keys,manifest,prefix',
    )
  )
    return fail('field list');
  if (value.format !== (version === 2 ? BUNDLE_MAGIC : BUNDLE_MAGIC_V1)) fail('format');
  if (version === 2 && value.alarm !== null && typeof value.alarm !== 'string') fail('alarm');
  if (typeof value.manifest !== 'string') fail('manifest');
  if (!Array.isArray(value.keys)) return fail('keys');
  for (const k of value.keys) {
    if (!isObj(k, 'rotation,validFromSize,vkey') || typeof k.vkey !== 'string' || !isCount(k.validFromSize))
      fail('keys');
    if (k.rotation !== null && typeof k.rotation !== 'string') fail('keys');
  }
  if (!Array.isArray(value.checkpoints)) return fail('checkpoints');
  for (const c of value.checkpoints) {
    if (!isObj(c, 'consistencyFromPrevious,note') || typeof c.note !== 'string') fail('checkpoints');
    if (
      !Array.isArray(c.consistencyFromPrevious) ||
      !c.consistencyFromPrevious.every((s: unknown) => typeof s === 'string')
    ) {
      fail('checkpoints');
    }
  }
  const prefix = value.prefix;
  if (!isObj(prefix, 'size,subtrees') || !isCount(prefix.size) || !Array.isArray(prefix.subtrees))
    return fail('prefix');
  if (!prefix.subtrees.every((s: unknown) => typeof s === 'string')) fail('prefix');
  return value as unknown as BundleHeader;
}
