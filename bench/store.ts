import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openInstallation } from '../src/core/installation/installation';
import { SECRET_NAMES } from '../src/core/secrets/names';
import { createFieldSealer } from '../src/core/sealing/field-sealer';
import { createKeytarSecretStore } from '../src/core/secrets/keytar-store';
import { openEncryptedDatabase } from '../src/core/store/database';
import type { Report } from './report';

/**
 * Cost of opening an installation (keychain reads, key check, SQLCipher open, migration check,
 * writer lock) against opening the encrypted database alone; and field sealing, opening and
 * blind indexing against the raw AES-256-GCM / HMAC-SHA-256 calls they wrap.
 */
export async function run(report: Report): Promise<void> {
  const operations = Number(process.env.CUSTODIA_BENCH_SEALS ?? 200_000);
  const opens = Number(process.env.CUSTODIA_BENCH_OPENS ?? 50);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-bench-store-'));
  try {
    if (!process.env.CUSTODIA_KEYRING_READY && process.platform === 'linux') {
      report({
        figure: 'open-installation',
        value: 0,
        unit: 'skipped',
        note: 'run under scripts/with-keyring.sh',
      });
      return;
    }
    const dataDir = path.join(root, 'data');
    let start = performance.now();
    const first = await openInstallation({ dataDir, createIfMissing: true });
    const createMs = performance.now() - start;
    const { installId, keys } = first;
    first.close();
    report({ figure: 'create-installation', value: +createMs.toFixed(1), unit: 'ms' });

    start = performance.now();
    for (let i = 0; i < opens; i++) (await openInstallation({ dataDir, createIfMissing: false })).close();
    const openMs = (performance.now() - start) / opens;

    const dbKey = Buffer.from(
      (await createKeytarSecretStore(installId).get(SECRET_NAMES.databaseKey))!,
      'hex',
    );
    start = performance.now();
    for (let i = 0; i < opens; i++) {
      const db = openEncryptedDatabase(path.join(dataDir, 'ledger.db'), { key: dbKey, keyVerified: true });
      db.close();
    }
    const rawMs = (performance.now() - start) / opens;
    report({
      figure: 'open-installation',
      value: +openMs.toFixed(2),
      unit: 'ms',
      baseline: +rawMs.toFixed(2),
      ratio: +(rawMs / openMs).toFixed(3),
      note: 'baseline: SQLCipher open alone; ratio = baseline/value',
    });

    const sealer = createFieldSealer(keys);
    const at = { table: 'packages', column: 'serial', rowId: '0f9e4c1a-8b7d-4e2f-9a3b-5c6d7e8f9a0b' };
    const serial = '10018ABC7Q4Z9X';
    const plain = Buffer.from(serial);
    const key = keys.sealingKey(keys.currentSealingVersion)!;

    start = performance.now();
    let sealed: Buffer = Buffer.alloc(0);
    for (let i = 0; i < operations; i++) sealed = sealer.seal(serial, at);
    const sealRate = operations / ((performance.now() - start) / 1000);
    start = performance.now();
    for (let i = 0; i < operations; i++) {
      const cipher = crypto.createCipheriv('aes-256-gcm', key, crypto.randomBytes(12));
      Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    }
    const rawSeal = operations / ((performance.now() - start) / 1000);
    report(rate('seal', sealRate, rawSeal, 'raw AES-256-GCM encrypt, same bytes'));

    start = performance.now();
    for (let i = 0; i < operations; i++) sealer.openText(sealed, at);
    report(
      rate(
        'open-sealed',
        operations / ((performance.now() - start) / 1000),
        rawSeal,
        'baseline: raw encrypt',
      ),
    );

    start = performance.now();
    for (let i = 0; i < operations; i++) sealer.blindIndex('serial', serial);
    const indexRate = operations / ((performance.now() - start) / 1000);
    start = performance.now();
    for (let i = 0; i < operations; i++)
      crypto.createHmac('sha256', keys.blindIndexKey).update(serial).digest();
    report(
      rate('blind-index', indexRate, operations / ((performance.now() - start) / 1000), 'raw HMAC-SHA-256'),
    );

    start = performance.now();
    crypto.scryptSync('bench passphrase words', crypto.randomBytes(32), 32, {
      N: 2 ** 17,
      r: 8,
      p: 1,
      maxmem: 256 * 1024 * 1024,
    });
    report({
      figure: 'recovery-kit-kdf',
      value: +(performance.now() - start).toFixed(0),
      unit: 'ms',
      note: 'scrypt N=2^17 r=8 p=1 (128 MiB)',
    });

    for (const name of Object.values(SECRET_NAMES)) await createKeytarSecretStore(installId).delete(name);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function rate(figure: string, value: number, baseline: number, note: string) {
  return {
    figure,
    value: Math.round(value),
    unit: 'ops/s',
    baseline: Math.round(baseline),
    ratio: +(value / baseline).toFixed(3),
    note,
  };
}
