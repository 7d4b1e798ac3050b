import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import { verifyBundle } from '../../src/core/ledger/audit-verify';
import { parseBundle } from '../../src/core/ledger/audit-verify/bundle-format';
import { exportBundle } from '../../src/core/ledger/bundle';
import { parseVerifierKey } from '../../src/core/ledger/note';
import { asVersion1, openTestLedger, sampleEntries, tempDir, v1Manifest, type Opened } from './helpers';

/**
 * Issue 17 scope 4: tools/verify_bundle.py, written from docs/audit-bundle.md alone, run with
 * Debian's /usr/bin/python3 and python3-cryptography. Both verifiers check every genuine and
 * tampered bundle made here, in batch (one process for all files), and must agree.
 */

const PYTHON = '/usr/bin/python3';
const TOOL = path.resolve('tools/verify_bundle.py');

interface PyResult {
  file: string;
  status: string;
  message: string;
  first_bad: number | null;
}

let o: Opened;
let bundle: Buffer;
let vkey: string;
let work: string;
let earlier: string;

/** Runs the Python verifier over many files in one process. */
function pythonBatch(files: string[], extra: string[] = []): PyResult[] {
  // Exit 1 when any file is not consistent: the answer is in the lines.
  const run = spawnSync(PYTHON, [TOOL, '--batch', '--trusted-key', vkey, ...extra], {
    input: files.join('\n') + '\n',
    maxBuffer: 256 << 20,
  });
  if (run.status !== 0 && run.status !== 1)
    throw new Error(`verify_bundle.py --batch: ${run.stderr.toString()}`);
  return run.stdout
    .toString()
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as PyResult);
}

/** `custodia audit verify --batch`, in this process. */
async function typescriptBatch(files: string[]): Promise<PyResult[]> {
  const out: string[] = [];
  await runCli(['audit', 'verify', '--batch', '--trusted-key', vkey], {
    out: (text) => out.push(text),
    err: () => undefined,
    readStdin: async () => files.join('\n') + '\n',
    env: {},
  });
  return out.map((line) => JSON.parse(line) as PyResult);
}

function pythonOne(file: string, extra: string[] = []): { status: number; stdout: string } {
  try {
    return {
      status: 0,
      stdout: execFileSync(PYTHON, [TOOL, file, '--trusted-key', vkey, ...extra], {
        stdio: 'pipe',
      }).toString(),
    };
  } catch (error) {
    const e = error as { status: number; stdout: Buffer };
    return { status: e.status, stdout: e.stdout.toString() };
  }
}

beforeAll(async () => {
  o = await openTestLedger();
  await o.ledger.transactEntries(sampleEntries(3));
  earlier = o.ledger.latestCheckpoint().note;
  await o.ledger.transactEntries(sampleEntries(4, 3));
  const file = path.join(o.dataDir, 'exports', 'small.bundle');
  await exportBundle({ ledger: o.ledger, checkpoint: (e) => o.ledger.transactCheckpoint(e) }, file, {
    actor: 'auditor-1',
  });
  bundle = fs.readFileSync(file);
  vkey = o.ledger.signingKeys().current.vkey;
  work = tempDir('custodia-flips-');
});

afterAll(() => {
  o.close();
  fs.rmSync(o.dataDir, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

describe('the second verifier (tools/verify_bundle.py)', () => {
  it('says consistent on the genuine bundle, exit 0, and checks an auditor checkpoint', () => {
    const genuine = path.join(work, 'genuine.bundle');
    fs.writeFileSync(genuine, bundle);
    const cp = path.join(work, 'earlier.checkpoint');
    fs.writeFileSync(cp, earlier);
    const result = pythonOne(genuine, ['--checkpoint', cp]);
    expect(result.stdout).toContain('consistent: all');
    expect(result.status).toBe(0);
    // A file it cannot read is a usage error (2), never a verdict.
    expect(pythonOne(genuine.replace('genuine', 'missing')).status).toBe(2);
  });

  it('every byte flipped: both verifiers refuse 100%, each naming where, and agree', async () => {
    const files: string[] = [];
    for (let i = 0; i < bundle.length; i++) {
      const copy = Buffer.from(bundle);
      copy[i] = copy[i]! ^ 0x01;
      const file = path.join(work, `flip-${i}.bundle`);
      fs.writeFileSync(file, copy);
      files.push(file);
    }
    const ts = await typescriptBatch(files);
    expect(ts).toHaveLength(bundle.length);
    const started = Date.now();
    const py = pythonBatch(files);
    const pySeconds = (Date.now() - started) / 1000;
    expect(py).toHaveLength(bundle.length);
    const where = /record|byte|header|manifest|checkpoint|prefix|key|leaves|end|file|signed/;
    const pyRefused = py.filter((r) => r.status !== 'consistent').length;
    const tsRefused = ts.filter((r) => r.status !== 'consistent').length;
    const sameStatus = py.filter((r, i) => r.status === ts[i]!.status).length;
    console.log(
      `byte flips of a ${bundle.length}-byte bundle: TypeScript refused ${tsRefused}/${bundle.length}, ` +
        `Python refused ${pyRefused}/${bundle.length} (batch ${pySeconds.toFixed(1)} s), same verdict ${sameStatus}/${bundle.length}`,
    );
    expect(tsRefused).toBe(bundle.length);
    expect(pyRefused).toBe(bundle.length);
    expect(py.filter((r) => !where.test(r.message)).map((r) => r.file)).toEqual([]);
    expect(ts.filter((r) => !where.test(r.message))).toEqual([]);
    // The same verdict on every file: inconsistent, or unknown where no trusted signature is left.
    expect(py.filter((r, i) => r.status !== ts[i]!.status).map((r) => r.file)).toEqual([]);
  });

  it('version 1 verifies with a note, and a version 2 bundle relabelled as version 1 is refused, by both', async () => {
    const key = parseVerifierKey(vkey);
    const v1 = path.join(work, 'v1.bundle');
    const relabelled = path.join(work, 'relabelled.bundle');
    fs.writeFileSync(v1, asVersion1(bundle, v1Manifest(bundle, o)));
    fs.writeFileSync(relabelled, asVersion1(bundle, parseBundle(bundle).header.manifest));
    const [pyV1, pyRelabelled] = pythonBatch([v1, relabelled]) as [PyResult, PyResult];
    const tsV1 = await verifyBundle(fs.readFileSync(v1), { trustedKeys: [key] });
    const tsRelabelled = await verifyBundle(fs.readFileSync(relabelled), { trustedKeys: [key] });
    expect([pyV1.status, tsV1.verdict.status]).toEqual(['consistent', 'consistent']);
    expect(tsV1.notes.join(' ')).toContain('format version 1');
    expect((pyV1 as PyResult & { notes: string[] }).notes.join(' ')).toContain('format version 1');
    expect([pyRelabelled.status, tsRelabelled.verdict.status]).toEqual(['inconsistent', 'inconsistent']);
    expect(pyRelabelled.message).toContain('relabelled');
    expect(tsRelabelled.verdict.message).toContain('relabelled');
  });
});
