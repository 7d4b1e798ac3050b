import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openInstallation } from '../../src/core/installation/installation';
import { tempDir } from '../store/helpers';
import { repoRoot, requireKeyring } from './keyring';

requireKeyring();

describe('installation across crashes (OS keychain)', () => {
  it('a writer killed with SIGKILL leaves no stale lock and loses no committed row', async () => {
    const dataDir = tempDir();
    (await openInstallation({ dataDir, createIfMissing: true })).close();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'test/secrets/children/append-forever.ts'), dataDir],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let committed = 0;
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        const counts = [...chunk.toString().matchAll(/committed (\d+)/g)].map((m) => Number(m[1]));
        if (counts.length > 0) committed = Math.max(committed, ...counts);
        if (committed >= 20) resolve();
      });
      child.on('exit', (code) => reject(new Error(`writer exited early (${code})`)));
    });
    await expect(openInstallation({ dataDir, createIfMissing: false })).rejects.toMatchObject({
      kind: 'locked',
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const reopened = await openInstallation({ dataDir, createIfMissing: false });
    const { n } = reopened.db.prepare('SELECT count(*) AS n FROM beats').get() as { n: number };
    expect(n).toBeGreaterThanOrEqual(committed);
    expect(reopened.db.pragma('integrity_check', { simple: true })).toBe('ok');
    reopened.close();
  });

  it('setup interrupted before installation.json was written starts over cleanly', async () => {
    const dataDir = tempDir();
    // What a crash mid-setup leaves: a half-built database under its temporary name.
    fs.writeFileSync(path.join(dataDir, 'ledger.db.creating'), Buffer.alloc(4096, 7));
    const installation = await openInstallation({ dataDir, createIfMissing: true });
    expect(fs.existsSync(path.join(dataDir, 'ledger.db.creating'))).toBe(false);
    expect(installation.db.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toMatchObject({
      n: expect.any(Number),
    });
    installation.close();
  });
});
