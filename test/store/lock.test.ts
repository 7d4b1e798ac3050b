import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { acquireWriterLock } from '../../src/core/store/lock';
import { tempDir } from './helpers';

const holder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lock-holder.ts');

/** Starts a child process that takes the writer lock and waits; resolves once it holds it. */
async function startHolder(lockFile: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', holder, lockFile], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('held')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`lock holder exited early (${code})`)));
  });
  return child;
}

describe('writer lock', () => {
  it('refuses a second writer in the same process until the first releases', () => {
    const lockFile = path.join(tempDir(), 'ledger.lock');
    const first = acquireWriterLock(lockFile, 0);
    expect(() => acquireWriterLock(lockFile, 0)).toThrow(expect.objectContaining({ kind: 'locked' }));
    first.release();
    acquireWriterLock(lockFile, 0).release();
  });

  it('refuses a writer while another process holds it, names that process, and recovers after SIGKILL', async () => {
    const lockFile = path.join(tempDir(), 'ledger.lock');
    const child = await startHolder(lockFile);
    try {
      let message = '';
      try {
        acquireWriterLock(lockFile, 0);
      } catch (error) {
        expect(error).toMatchObject({ name: 'StoreError', kind: 'locked' });
        message = (error as Error).message;
      }
      expect(message).toContain(`process ${child.pid}`);
    } finally {
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    // The kernel dropped the dead process's lock: no stale lock to clean up by hand.
    expect(fs.existsSync(`${lockFile}.owner`)).toBe(true);
    const lock = acquireWriterLock(lockFile, 0);
    lock.release();
  });
});
