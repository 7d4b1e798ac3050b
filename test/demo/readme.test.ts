import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureBuiltCli, noDesktopEnv, repoRoot, STACK_TRACE } from './support';

/** The commands of a README section's first ```sh block, one per line (comments stay: bash drops them). */
function commandsOf(file: string, heading: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const section = text.slice(text.indexOf(heading));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error(`no sh block under ${heading} in ${file}`);
  return block.split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
}

beforeAll(ensureBuiltCli);

describe('resources/demo/README.md, as written', () => {
  it('runs its commands in order, each in a fresh process, on a machine without a desktop session', () => {
    const commands = commandsOf(
      path.join(repoRoot, 'resources', 'demo', 'README.md'),
      '## Try it on the command line',
    );
    expect(commands[0]).toContain('demo load');
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-readme-'));
    // The keyring's password is asked once at a terminal; a test gives it the other documented way.
    const env = noDesktopEnv({ CUSTODIA_KEYRING_PASSWORD: 'readme keyring password' });
    const outputs: string[] = [];
    try {
      for (const line of commands) {
        const command = line.replaceAll('/tmp/', `${base}/`);
        const run = spawnSync('bash', ['-c', command], {
          cwd: repoRoot,
          env,
          encoding: 'utf8',
          timeout: 120_000,
        });
        const said = `${run.stdout}${run.stderr}`;
        outputs.push(said);
        expect(run.status, `${line}\n${said}`).toBe(0);
        expect(said, line).not.toMatch(STACK_TRACE);
      }
      const [load, quarantine, traceScan, tracePrinted, verify, report, call, exported, verified, stopped] =
        outputs;
      expect(load).toMatch(/2026-03-18-riverside-epcis\.xml: quarantined \(decommissioned-activity\)/);
      expect(load).toContain('This ledger is marked DEMO');
      expect(quarantine).toContain('SUSPECT');
      expect(traceScan).toContain('SSCC https://id.gs1.org/00/008123450000000016');
      expect(tracePrinted).toContain('SSCC https://id.gs1.org/00/008123450000000016');
      expect(verify).toMatch(/^consistent/);
      expect(report).toContain('reports.generated');
      expect(JSON.parse(call!)).toMatchObject({ ok: true, value: { total: 7 } });
      expect(exported).toContain('Verify with: npx --no custodia audit verify');
      expect(verified).toMatch(/verif/i);
      expect(stopped).toContain('Stopped the keyring');
      // The report says DEMO on its face.
      const text = spawnSync('pdftotext', [path.join(base, 'demo-t3.pdf'), '-'], { encoding: 'utf8' });
      if (text.status === 0) expect(text.stdout).toContain('DEMO DATA');
    } finally {
      spawnSync(process.execPath, [CLI, 'keyring', 'stop', '--data', path.join(base, 'demo')], { env });
      fs.rmSync(base, { recursive: true, force: true });
    }
    // Eleven fresh processes, each opening the keyring and the ledger, five of them signing a person in.
  }, 240_000);
});
