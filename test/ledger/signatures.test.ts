import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  formatCheckpoint,
  openCheckpoint,
  parseCheckpointText,
  signCheckpoint,
} from '../../src/core/ledger/checkpoint';
import {
  ed25519Verify,
  generateSigner,
  openNote,
  parseNote,
  parseSignerKey,
  parseVerifierKey,
  signerFromSeed,
  signNote,
} from '../../src/core/ledger/note';

const FIX = path.join(__dirname, '../fixtures/ledger');
const hex = (s: string) => Buffer.from(s, 'hex');

describe('Ed25519 (RFC 8032, Wycheproof)', () => {
  it('derives, signs and verifies the RFC 8032 s7.1 vectors', () => {
    const vectors = JSON.parse(
      fs.readFileSync(path.join(FIX, 'ed25519/rfc8032-section7.1-ed25519.json'), 'utf8'),
    );
    const list = (Array.isArray(vectors) ? vectors : (vectors.vectors ?? vectors.tests)) as {
      secretKey: string;
      publicKey: string;
      message: string;
      signature: string;
    }[];
    for (const v of list) {
      const signer = signerFromSeed('rfc8032', hex(v.secretKey));
      expect(signer.publicKey.toString('hex')).toBe(v.publicKey);
      expect(signer.sign(hex(v.message)).toString('hex')).toBe(v.signature);
      expect(ed25519Verify(hex(v.publicKey), hex(v.message), hex(v.signature))).toBe(true);
    }
    console.log(`rfc8032 vectors passed: ${list.length}/4`);
    expect(list.length).toBe(4);
  });

  it('agrees with all 151 Wycheproof verification cases', () => {
    const suite = JSON.parse(fs.readFileSync(path.join(FIX, 'ed25519/ed25519_test.json'), 'utf8'));
    let agree = 0;
    let total = 0;
    for (const group of suite.testGroups) {
      for (const t of group.tests) {
        total++;
        const ok = ed25519Verify(hex(group.publicKey.pk), hex(t.msg), hex(t.sig));
        expect(ok, `tcId ${t.tcId} ${t.comment}`).toBe(t.result === 'valid');
        agree++;
      }
    }
    console.log(`wycheproof ed25519 cases agree: ${agree}/${total}`);
    expect(total).toBe(151);
  });
});

describe('C2SP signed note', () => {
  const example = JSON.parse(fs.readFileSync(path.join(FIX, 'c2sp/signed-note-example.json'), 'utf8'));

  it('verifies the spec example and recomputes its key ID', () => {
    const verifier = parseVerifierKey(example.vkey);
    expect(verifier.keyId.toString(16).padStart(8, '0')).toBe(example.expected.keyIdHex);
    expect(verifier.vkey).toBe(example.vkey);
    const opened = openNote(example.signedNote, [verifier]);
    expect(opened).toEqual({ ok: true, text: example.expected.noteText, verifiedBy: [example.vkey] });
    console.log('c2sp signed-note example verified: 1/1');
  });

  it('refuses the example with one extra newline, a flipped byte, or no trusted key', () => {
    const verifier = parseVerifierKey(example.vkey);
    const note: string = example.signedNote;
    expect(openNote(note.replace('message.\n', 'message.\n\n'), [verifier]).ok).toBe(false);
    expect(openNote(note.replace('example', 'Example'), [verifier]).ok).toBe(false);
    expect(openNote(note, [generateSigner('example.com/foo')])).toMatchObject({
      ok: false,
      reason: 'no-known-signature',
    });
    expect(openNote(note.replace('\u2014', '-'), [verifier])).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
  });

  it('ignores unknown signatures, rejects a failing known one, accepts 16 signatures', () => {
    const a = generateSigner('custodia.app/r/i');
    const b = generateSigner('witness.example/w');
    const signed = signNote('hello\n', [a, b]);
    expect(openNote(signed, [a])).toMatchObject({ ok: true, verifiedBy: [a.vkey] });
    const forged = signNote('hello\n', [a]).replace(/ (\S+)\n$/, (_m, b64: string) => {
      const blob = Buffer.from(b64, 'base64');
      blob[10]! ^= 1;
      return ` ${blob.toString('base64')}\n`;
    });
    const both = forged + signNote('hello\n', [b]).split('\n\n')[1];
    expect(openNote(both, [a, b])).toMatchObject({ ok: false, reason: 'bad-signature' });
    const many = Array.from({ length: 16 }, (_, i) => generateSigner(`k${i}`));
    expect(openNote(signNote('x\n', many), [many[15]!]).ok).toBe(true);
    expect(parseNote(signNote('x\n', many)).signatures).toHaveLength(16);
  });

  it('refuses malformed notes: control characters, missing final newline, trailing data', () => {
    const a = generateSigner('k');
    expect(() => signNote('no newline', [a])).toThrow();
    expect(() => signNote('tab\there\n', [a])).toThrow();
    const signed = signNote('ok\n', [a]);
    for (const bad of [
      signed.slice(0, -1),
      signed + 'x',
      signed + '\n',
      signed.replace('\u2014 k', '\u2014  k'),
      '',
    ]) {
      expect(openNote(bad, [a]).ok, JSON.stringify(bad)).toBe(false);
    }
  });

  it('round-trips a signer key and a checkpoint body strictly', () => {
    const a = generateSigner('custodia.app/r/i');
    const again = parseSignerKey(a.secretKeyString);
    expect(again.vkey).toBe(a.vkey);
    const cp = { origin: 'custodia.app/r/i', size: 12, root: Buffer.alloc(32, 7) };
    const signed = signCheckpoint(cp, [a]);
    expect(openCheckpoint(signed, [parseVerifierKey(a.vkey)])).toMatchObject({ ok: true, checkpoint: cp });
    for (const body of [
      'o\n012\nAAAA\n',
      'o\n1\nAAAA\n',
      'o\n1\n' + Buffer.alloc(32).toString('base64') + '\nextra\n',
      'o\n1\n',
    ]) {
      expect(() => parseCheckpointText(body), body).toThrow();
    }
    expect(formatCheckpoint(cp).split('\n')).toHaveLength(4);
  });
});
