import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, STACK_TRACE } from './support';

const READY = /Custodia is ready at (http:\/\/127\.0\.0\.1:(\d+))\/\?token=(\S+)/;

/** A browser's conversation with the host: the token URL traded for cookies, then calls. */
async function hostClient(origin: string, token: string) {
  const opened = await fetch(`${origin}/?token=${token}`, { redirect: 'manual' });
  const cookie = opened.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return async (method: string, input: unknown = {}) => {
    const res = await fetch(`${origin}/api/call`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookie },
      body: JSON.stringify({ method, input }),
    });
    const body = (await res.json()) as { ok: boolean; value?: unknown; error?: { message: string } };
    if (!body.ok) throw new Error(`${method}: ${body.error?.message}`);
    return body.value as Record<string, unknown>;
  };
}

describe('bash scripts/start.sh --demo', () => {
  it('starts on the demo month: a DEMO ledger in <data>/demo whose dashboard data shows the month', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-start-demo-'));
    const child = spawn('bash', ['scripts/start.sh', '--demo', '--data', dataDir, '--port', '0'], {
      cwd: repoRoot,
      env: { ...process.env, CUSTODIA_HEADLESS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    try {
      const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not ready in 240 s:\n${output}`)), 240_000);
        const poll = setInterval(() => {
          const found = output.match(READY);
          if (found) {
            clearInterval(poll);
            clearTimeout(timer);
            resolve(found);
          }
        }, 100);
        child.once('exit', (code) => {
          clearInterval(poll);
          clearTimeout(timer);
          reject(new Error(`start.sh exited with ${code}:\n${output}`));
        });
      });
      expect(output).toContain('Showing the DEMO ledger');
      const call = await hostClient(match[1]!, match[3]!);
      expect(await call('setup.status')).toMatchObject({ complete: true, demo: true });
      expect(await call('demo.status')).toMatchObject({
        active: true,
        loaded: true,
        dataDir: path.join(dataDir, 'demo'),
      });
      await call('auth.signIn', { username: 'paula', password: 'demo pharmacist march' });
      // What the dashboard and its neighbours show of the month: files, quarantine, partners, ledger.
      expect(await call('system.health')).toMatchObject({ ok: true });
      const files = await call('ingest.files', {});
      expect(files.total).toBe(7);
      const quarantine = await call('quarantine.list', {});
      expect(quarantine.total).toBe(1);
      expect(JSON.stringify(quarantine)).toContain('2026-03-18-riverside-epcis.xml');
      expect((await call('partners.list', {})).partners).toHaveLength(5);
      expect(((await call('ledger.status', {})) as { size: number }).size).toBeGreaterThan(50);
      // The pharmacy's own ledger beside it was never set up.
      await call('demo.leave');
      expect(await call('setup.status')).toMatchObject({ complete: false, demo: false });
      expect(output).not.toMatch(STACK_TRACE);
    } finally {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(-child.pid!, 'SIGTERM');
        await exited;
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 300_000);
});
