import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_ROOT,
  Frontier,
  consistencyProof,
  frontierAt,
  inclusionProof,
  leafHash,
  nodeHash,
  perfectFromLeaves,
  verifyConsistency,
  verifyInclusion,
} from '../../src/core/ledger/merkle';

const FIX = path.join(__dirname, '../fixtures/ledger/merkle');
const b64 = (s: string | null | undefined) => Buffer.from(s ?? '', 'base64');
const hex = (s: string) => Buffer.from(s, 'hex');

function probeFiles(kind: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.json')) out.push(p);
    }
  };
  walk(path.join(FIX, 'testdata', kind));
  return out.sort();
}

/** Independent, recursive MTH straight from RFC 9162 s2.1.1, to cross-check the frontier. */
function mth(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return EMPTY_ROOT;
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

describe('RFC 9162 Merkle tree', () => {
  it('agrees with all transparency-dev inclusion probes, error cases included', () => {
    const files = probeFiles('inclusion');
    let agree = 0;
    let errors = 0;
    for (const file of files) {
      const p = JSON.parse(fs.readFileSync(file, 'utf8'));
      const ok = verifyInclusion(
        p.leafIdx,
        p.treeSize,
        b64(p.leafHash),
        (p.proof ?? []).map(b64),
        b64(p.root),
      );
      expect(ok, path.relative(FIX, file)).toBe(!p.wantErr);
      agree++;
      if (p.wantErr) errors++;
    }
    console.log(`inclusion probes agree: ${agree}/${files.length} (${errors} error cases)`);
    expect({ files: files.length, agree, errors }).toEqual({ files: 98, agree: 98, errors: 92 });
  });

  it('agrees with all transparency-dev consistency probes, error cases included', () => {
    const files = probeFiles('consistency');
    let agree = 0;
    let errors = 0;
    for (const file of files) {
      const p = JSON.parse(fs.readFileSync(file, 'utf8'));
      const ok = verifyConsistency(p.size1, p.size2, b64(p.root1), b64(p.root2), (p.proof ?? []).map(b64));
      expect(ok, path.relative(FIX, file)).toBe(!p.wantErr);
      agree++;
      if (p.wantErr) errors++;
    }
    console.log(`consistency probes agree: ${agree}/${files.length} (${errors} error cases)`);
    expect({ files: files.length, agree, errors }).toEqual({ files: 98, agree: 98, errors: 92 });
  });

  it('reproduces the RFC 6962 reference tree: hasher vectors, every node, every root 0..8', () => {
    const ref = JSON.parse(fs.readFileSync(path.join(FIX, 'reference-tree-vectors.json'), 'utf8'));
    const leaves = (ref.leafInputs as string[]).map((h) => leafHash(hex(h)));
    expect(EMPTY_ROOT.toString('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(leafHash(Buffer.alloc(0)).toString('hex').startsWith('6e340b9c')).toBe(true);
    expect(leafHash(Buffer.from('L123456')).toString('hex').startsWith('395aa064')).toBe(true);
    const perfect = perfectFromLeaves(leaves);
    let nodes = 0;
    (ref.nodeHashesByLevel as string[][]).forEach((level, l) =>
      level.forEach((h, i) => {
        expect(perfect(l, i).toString('hex'), `node ${l}/${i}`).toBe(h);
        nodes++;
      }),
    );
    const frontier = Frontier.empty();
    const roots = ref.rootHashesBySize as string[];
    expect(frontier.root().toString('hex')).toBe(roots[0]);
    leaves.forEach((leaf, i) => {
      frontier.push(leaf);
      expect(frontier.root().toString('hex'), `root ${i + 1}`).toBe(roots[i + 1]);
      expect(Frontier.decode(frontier.encode()).root().equals(frontier.root())).toBe(true);
    });
    console.log(`reference tree roots matched: ${roots.length}/9`);
    // 8 leaves: 8 + 4 + 2 + 1 nodes, roots of sizes 0..8.
    expect({ leaves: leaves.length, nodes, roots: roots.length }).toEqual({ leaves: 8, nodes: 15, roots: 9 });
  });

  it('generates exactly the derived proofs for sizes 1..8 (36 inclusion, 36 consistency)', () => {
    const ref = JSON.parse(fs.readFileSync(path.join(FIX, 'reference-tree-vectors.json'), 'utf8'));
    const derived = JSON.parse(fs.readFileSync(path.join(FIX, 'derived-all-proofs-size1-8.json'), 'utf8'));
    const perfect = perfectFromLeaves((ref.leafInputs as string[]).map((h) => leafHash(hex(h))));
    let n = 0;
    for (const p of derived.inclusion) {
      const proof = inclusionProof(perfect, p.leafIdx, p.treeSize).map((h) => h.toString('base64'));
      expect(proof).toEqual(p.proof ?? []);
      expect(verifyInclusion(p.leafIdx, p.treeSize, b64(p.leafHash), proof.map(b64), b64(p.root))).toBe(true);
      n++;
    }
    for (const p of derived.consistency) {
      const proof = consistencyProof(perfect, p.size1, p.size2).map((h) => h.toString('base64'));
      expect(proof).toEqual(p.proof ?? []);
      expect(verifyConsistency(p.size1, p.size2, b64(p.root1), b64(p.root2), proof.map(b64))).toBe(true);
      n++;
    }
    console.log(`derived proofs generated identically: ${n}/72`);
    expect(n).toBe(72);
  });

  it('generates proofs that verify for random sizes, and the frontier matches the recursive MTH', () => {
    const leaves = Array.from({ length: 300 }, (_, i) => leafHash(Buffer.from(`leaf ${i}`)));
    const perfect = perfectFromLeaves(leaves);
    const frontier = Frontier.empty();
    const roots: Buffer[] = [EMPTY_ROOT];
    for (const leaf of leaves) {
      frontier.push(leaf);
      roots.push(frontier.root());
    }
    for (const n of [1, 2, 3, 5, 64, 127, 128, 129, 255, 300]) {
      expect(roots[n]!.equals(mth(leaves.slice(0, n)))).toBe(true);
      expect(frontierAt(perfect, n).root().equals(roots[n]!)).toBe(true);
    }
    let seed = 7;
    const rand = (max: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % max;
    for (let t = 0; t < 400; t++) {
      const n = 1 + rand(300);
      const m = 1 + rand(n);
      const i = rand(n);
      const inc = inclusionProof(perfect, i, n);
      expect(verifyInclusion(i, n, leaves[i]!, inc, roots[n]!)).toBe(true);
      expect(verifyInclusion(i, n, leaves[(i + 1) % 300]!, inc, roots[n]!)).toBe(n === 1 && false);
      const con = consistencyProof(perfect, m, n);
      expect(verifyConsistency(m, n, roots[m]!, roots[n]!, con)).toBe(true);
      if (m < n) expect(verifyConsistency(m, n, roots[m]!, roots[n - 1]!, con)).toBe(false);
    }
  });
});
