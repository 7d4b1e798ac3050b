import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import { openInstallation } from '../../src/core/installation/installation';
import { openLedger } from '../../src/core/ledger/open';
import { RECOVERABLE_SECRET_NAMES } from '../../src/core/secrets/names';
import { createKeytarSecretStore } from '../../src/core/secrets/keytar-store';
import { createFieldSealer } from '../../src/core/sealing/field-sealer';
import { requireKeyring } from '../secrets/keyring';
import { tempDir } from '../store/helpers';
import { PASSWORDS, REGISTRANT } from '../inventory/helpers';

requireKeyring();

const PASSPHRASE = 'velvet harbor cinder mosaic';
const AT = { table: 'packages', column: 'serial', rowId: 'row-9' };

async function cli(argv: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    readStdin: async () => options.stdin ?? '',
    env: options.env ?? {},
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('custodia keys (CLI, OS keychain)', () => {
  it('rotate, recovery-kit and restore move a ledger with rotated keys to a new keychain', async () => {
    const oldDir = tempDir();
    // Only setup, import and the demo load create a ledger; the keys commands need one.
    expect(await cli(['keys', 'rotate', '--data', oldDir])).toMatchObject({
      code: 2,
      err: expect.stringContaining(`no Custodia ledger in ${oldDir}`),
    });
    (await openLedger({ dataDir: oldDir, createIfMissing: true })).close();
    // Changing keys and making a kit name an administrator (issue 18): the pharmacy's own.
    const setup = await cli([
      'call',
      'setup.initialize',
      JSON.stringify({
        registrant: REGISTRANT,
        administrator: { username: 'admin', displayName: 'Ada Admin', password: PASSWORDS.admin },
      }),
      '--data',
      oldDir,
    ]);
    expect(setup.code, setup.out + setup.err).toBe(0);
    const admin = ['--user', 'admin'];
    const adminEnv = { CUSTODIA_PASSWORD: PASSWORDS.admin };
    const anonymous = await cli(['keys', 'rotate', '--data', oldDir]);
    expect(anonymous).toMatchObject({ code: 2, err: expect.stringContaining('add --user NAME') });
    const rotated = await cli(['keys', 'rotate', '--data', oldDir, ...admin], { env: adminEnv });
    expect(rotated).toMatchObject({ code: 0 });
    expect(rotated.out).toContain('field-sealing key v1 -> v2');
    expect((await cli(['keys', 'rotate', '--data', oldDir, ...admin], { env: adminEnv })).out).toContain(
      'v2 -> v3',
    );

    const installation = await openInstallation({ dataDir: oldDir, createIfMissing: false });
    const { installId } = installation;
    expect(installation.keys.sealingVersions).toEqual([1, 2, 3]);
    const sealed = createFieldSealer(installation.keys).seal('SN-CLI-1', AT);
    installation.close();

    const kitFile = path.join(tempDir(), 'kit.json');
    const made = await cli(['keys', 'recovery-kit', '--out', kitFile, '--data', oldDir, ...admin], {
      env: { CUSTODIA_PASSPHRASE: PASSPHRASE, ...adminEnv },
    });
    expect(made, made.err).toMatchObject({ code: 0 });
    expect(made.out).toContain('made by Ada Admin');
    // Opened through the ledger, so its checkpoint signing key exists and travels in the kit.
    expect(made.out).toMatch(/It holds: .*ledger-signing-keys/);
    expect(fs.statSync(kitFile).mode & 0o777).toBe(0o600);
    const again = await cli(['keys', 'recovery-kit', '--out', kitFile, '--data', oldDir, ...admin], {
      env: { CUSTODIA_PASSPHRASE: PASSPHRASE, ...adminEnv },
    });
    expect(again).toMatchObject({ code: 2, err: expect.stringContaining('already exists') });

    // The new computer: the keychain has nothing for this installation, only ledger.db was copied.
    const keychain = createKeytarSecretStore(installId);
    for (const name of RECOVERABLE_SECRET_NAMES) await keychain.delete(name);
    const newDir = tempDir();
    fs.copyFileSync(path.join(oldDir, 'ledger.db'), path.join(newDir, 'ledger.db'));

    const wrong = await cli(['keys', 'restore', kitFile, '--data', newDir], {
      stdin: 'velvet harbor cinder mosaik\n',
    });
    expect(wrong).toMatchObject({ code: 1, err: expect.stringContaining('passphrase does not open') });
    expect(await keychain.get('db-key')).toBeNull();

    const restored = await cli(['keys', 'restore', kitFile, '--data', newDir], { stdin: `${PASSPHRASE}\n` });
    expect(restored).toMatchObject({ code: 0 });
    expect(restored.out).toContain('opens with them');
    const reopened = await openInstallation({ dataDir: newDir, createIfMissing: false });
    expect(reopened.keys.sealingVersions).toEqual([1, 2, 3]);
    expect(createFieldSealer(reopened.keys).openText(sealed, AT)).toBe('SN-CLI-1');
    reopened.close();
    // The whole ledger checks out on the new computer: leaves, tree, checkpoints, keychain copy.
    const verified = await cli(['ledger', 'verify', '--data', newDir]);
    expect(verified, verified.out + verified.err).toMatchObject({ code: 0 });
  });

  it('takes the passphrase only from stdin or the environment, never an argument', async () => {
    const dir = tempDir();
    (await openLedger({ dataDir: dir, createIfMissing: true })).close();
    await cli(
      [
        'call',
        'setup.initialize',
        JSON.stringify({
          registrant: REGISTRANT,
          administrator: { username: 'admin', displayName: 'Ada Admin', password: PASSWORDS.admin },
        }),
        '--data',
        dir,
      ],
      {},
    );
    const env = { CUSTODIA_PASSWORD: PASSWORDS.admin };
    const kit = path.join(dir, 'kit.json');
    const args = ['keys', 'recovery-kit', '--out', kit, '--data', dir, '--user', 'admin'];
    expect(await cli(args, { env })).toMatchObject({
      code: 2,
      err: expect.stringContaining('on stdin or in CUSTODIA_PASSPHRASE'),
    });
    expect((await cli([...args, '--passphrase', PASSPHRASE], { env })).code).toBe(2);
    const weak = await cli(args, { stdin: 'hunter2\n', env });
    expect(weak).toMatchObject({ code: 1, err: expect.stringContaining('at least 15') });
    expect(fs.existsSync(kit)).toBe(false);
  });
});
