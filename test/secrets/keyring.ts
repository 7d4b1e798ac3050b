import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKeytarSecretStore } from '../../src/core/secrets/keytar-store';
import type { SecretStore } from '../../src/core/secrets/secret-store';

/**
 * Keychain tests run against a real Secret Service (gnome-keyring in a private D-Bus session),
 * never a fake; outside scripts/with-keyring.sh they fail with this instruction rather than
 * silently skipping.
 */
export function requireKeyring(): void {
  if (!process.env.CUSTODIA_KEYRING_READY && process.platform === 'linux') {
    throw new Error(
      'keychain tests need a real Secret Service: run them as scripts/with-keyring.sh npx vitest run test/secrets test/keys',
    );
  }
}

/** A keychain root under a fresh random scope: "a new machine" for the tests. */
export function freshKeychainScope(): SecretStore {
  return createKeytarSecretStore(`test-${crypto.randomUUID()}`);
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../..');

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a TypeScript child script (under tsx) with the given environment. */
export function runChild(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<ChildResult> {
  return runCommand(process.execPath, ['--import', 'tsx', path.join(here, 'children', script), ...args], env);
}

export function runCommand(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The last JSON line a child printed. */
export function lastJson<T>(stdout: string): T {
  const line = stdout.trim().split('\n').filter(Boolean).at(-1);
  if (line === undefined) throw new Error('the child printed nothing');
  return JSON.parse(line) as T;
}
