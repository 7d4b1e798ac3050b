import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCaptured } from './run';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-cli-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('custodia CLI', () => {
  it('lists its commands with --help', async () => {
    const { code, stdout } = await runCaptured(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\s+serve\s+Serve the workstation UI/m);
    expect(stdout).toMatch(/^\s+call\s+Invoke any API procedure/m);
  });

  it('answers unknown input with one line and a non-zero exit', async () => {
    const unknown = await runCaptured(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    const badFlag = await runCaptured(['serve', '--bogus']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr.trim().split('\n')).toHaveLength(1);
    expect(badFlag.stderr).toContain("Unknown option '--bogus'");
  });

  it('calls a procedure through the router and prints the typed result', async () => {
    const { code, stdout } = await runCaptured(['call', 'system.info', '{}', '--data', dataDir]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ ok: true, value: { product: 'Custodia', transport: 'cli', dataDir } });
  });

  it('rejects invalid input with the typed error and exit 1', async () => {
    const { code, stdout } = await runCaptured([
      'call',
      'system.echo',
      '{"text":"a","count":0}',
      '--data',
      dataDir,
    ]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', details: { issues: [{ path: 'count' }] } },
    });
    const notJson = await runCaptured(['call', 'system.echo', '{text:', '--data', dataDir]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('not valid JSON');
  });

  it('works from the repository root as `npm run -s custodia`', () => {
    const out = execFileSync(
      'npm',
      ['run', '-s', 'custodia', '--', 'call', 'system.health', '--data', dataDir],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    expect(JSON.parse(out)).toMatchObject({ ok: true, value: { ok: true } });
    const failed = spawnSync('npm', ['run', '-s', 'custodia', '--', 'nope'], { encoding: 'utf8' });
    expect(failed.status).not.toBe(0);
  });
});
