import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { epcisDocument, events, SAMPLE_PRODUCT, sgtin } from '../support/synthetic';
import { runCaptured } from './run';

/** Issue 20: the command line never leaves a person at a raw error, and never invents a ledger. */
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-dead-ends-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('custodia: no dead ends', () => {
  it('a command that reads a ledger refuses a folder with none, creates nothing, and names a near miss', async () => {
    const mistyped = path.join(root, 'pharmcy');
    const verify = await runCaptured(['ledger', 'verify', '--data', mistyped], { env: {} });
    expect(verify.code).toBe(2);
    expect(verify.stderr.trim()).toBe(
      `custodia ledger verify: no Custodia ledger in ${mistyped}; check --data.`,
    );
    expect(fs.existsSync(mistyped)).toBe(false);
    for (const argv of [
      ['ledger', 'checkpoint'],
      ['keys', 'public'],
      ['trace', '(00)003000111111111110'],
      ['quarantine', 'list'],
    ]) {
      const run = await runCaptured([...argv, '--data', mistyped], { env: {} });
      expect({ argv, code: run.code, said: run.stderr }).toMatchObject({
        code: 2,
        said: expect.stringContaining(`no Custodia ledger in ${mistyped}`),
      });
    }
    expect(fs.existsSync(mistyped)).toBe(false);

    // A real ledger next door (an import creates one) is offered as what was meant.
    const real = path.join(root, 'pharmacy');
    const file = path.join(root, 'one.xml');
    fs.writeFileSync(
      file,
      epcisDocument([
        events.commission([sgtin(SAMPLE_PRODUCT.gtin, 'DE1')], { time: '2026-01-02T10:00:00Z', lot: 'L1' }),
      ]),
    );
    const imported = await runCaptured(['import', file, '--data', real], { env: {} });
    expect(imported.stderr).toBe('');
    expect(fs.existsSync(path.join(real, 'ledger.db'))).toBe(true);
    const near = await runCaptured(['ledger', 'verify', '--data', mistyped], { env: {} });
    expect(near.stderr).toContain(`(did you mean ${real}?)`);

    // A malformed SSCC says what is wrong with it, not "nothing recorded for lot code …".
    const malformed = await runCaptured(['trace', '(00)008123450000001X', '--data', real], { env: {} });
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain('not a valid identifier: (00) SSCC needs exactly 18 characters');
    expect(malformed.stdout).not.toContain('Nothing recorded');
  });

  it('a file that is not there is named in words, and no ledger is created for it', async () => {
    const data = path.join(root, 'fresh');
    const missing = await runCaptured(['import', path.join(root, 'missing.xml'), '--data', data], {
      env: {},
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      `${path.join(root, 'missing.xml')} does not exist: check the name and the folder`,
    );
    expect(missing.stderr).not.toMatch(/ENOENT|at .*\.ts:\d+/);
    const folder = await runCaptured(['import', root, '--data', data], { env: {} });
    expect(folder.stderr).toContain('is a folder: name the files in it');
    expect(fs.existsSync(data)).toBe(false);
  });

  it('a group command alone lists its commands', async () => {
    // Where `custodia` is on the PATH (elsewhere the list says `npx --no custodia`).
    const onPath = { env: { CUSTODIA_CLI: 'custodia' } };
    const group = await runCaptured(['ledger'], onPath);
    expect(group.code).toBe(0);
    expect(group.stdout).toMatch(/^ {2}custodia ledger verify\s+Verify the whole ledger/m);
    expect(group.stdout).toMatch(/^ {2}custodia ledger checkpoint\s+/m);
    const wrong = await runCaptured(['keys', 'nope'], onPath);
    expect(wrong.code).toBe(2);
    expect(wrong.stdout).toContain('custodia keys rotate');
  });

  it('a closed pipe ends the command quietly with its exit status', async () => {
    // A document large enough that the converter is still writing when the reader goes away.
    const file = path.join(root, 'big.xml');
    const serials = Array.from({ length: 4000 }, (_, i) => sgtin(SAMPLE_PRODUCT.gtin, `P${i}`));
    fs.writeFileSync(
      file,
      epcisDocument(
        serials.map((epc, i) =>
          events.commission([epc], {
            time: `2026-01-02T10:${String(i % 60).padStart(2, '0')}:00Z`,
            lot: 'L1',
          }),
        ),
      ),
    );
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/index.ts', 'epcis', 'convert', file, '--to', 'jsonld'],
      {
        cwd: path.resolve(import.meta.dirname, '..', '..'),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Like `| head -c 100`: read the first chunk, then close our end.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|Error:|at /);
    expect(code).toBe(0);
  }, 60_000);
});
