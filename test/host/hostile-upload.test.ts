import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/core/app';
import { startHost, type Host } from '../../src/cli/host/server';
import { QUARANTINE_RAW_CAPS } from '../../src/core/quarantine/store';
import { makeCore, PASSWORDS, staffPharmacy, tempDir } from '../inventory/helpers';
import { requireKeyring } from '../secrets/keyring';

requireKeyring();

/**
 * Issue 18: a 300 MB file of random bytes, streamed to the host as a "shipment.xml" by a technician,
 * is held as not text; quarantine keeps no copy of it (over the per-file cap) and says so, and the
 * ledger does not grow by the file's size. The staged upload is gone afterwards.
 */
let core: Core;
let host: Host;
const root = tempDir('custodia-hostile-upload-');
const data = path.join(root, 'data');
const rendererDir = path.join(root, 'renderer');
const SIZE = 300 * 1024 * 1024;

beforeAll(async () => {
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Custodia</title>');
  core = makeCore(data);
  await staffPharmacy(core);
  host = await startHost({ core, rendererDir, port: 0 });
}, 60_000);
afterAll(async () => {
  await host.close();
  await core.close();
  fs.rmSync(root, { recursive: true, force: true });
});

function request(
  method: string,
  pathname: string,
  headers: Record<string, string | number>,
  body?: string | Readable,
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: host.port, path: pathname, method, headers },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
      },
    );
    req.on('error', reject);
    if (body instanceof Readable) body.pipe(req);
    else req.end(body);
  });
}

/** 300 MB of random bytes, made as they are sent (never on disk, never whole in memory). */
function randomStream(size: number): Readable {
  let left = size;
  return new Readable({
    read() {
      if (left === 0) return void this.push(null);
      const n = Math.min(left, 4 * 1024 * 1024);
      left -= n;
      this.push(crypto.randomBytes(n));
    },
  });
}

const ledgerBytes = () =>
  ['ledger.db', 'ledger.db-wal'].reduce((sum, name) => {
    const file = path.join(data, name);
    return sum + (fs.existsSync(file) ? fs.statSync(file).size : 0);
  }, 0);

describe('a 300 MB random file over HTTP (issue 18)', () => {
  it('is held as not text, without a copy of its bytes, and the ledger does not grow by it', async () => {
    const opened = await request('GET', `/?token=${host.token}`, {});
    const cookie = (opened.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    const json = { Cookie: cookie, 'Content-Type': 'application/json' };
    const call = async (method: string, input: unknown) =>
      JSON.parse((await request('POST', '/api/call', json, JSON.stringify({ method, input }))).body) as {
        ok: boolean;
        value: Record<string, unknown>;
      };
    expect(await call('auth.signIn', { username: 'tess', password: PASSWORDS.tess })).toMatchObject({
      ok: true,
    });
    const before = ledgerBytes();
    const sent = await request(
      'PUT',
      '/uploads',
      {
        Cookie: cookie,
        'Content-Type': 'application/octet-stream',
        'Content-Length': SIZE,
        'X-Custodia-File-Name': 'shipment.xml',
      },
      randomStream(SIZE),
    );
    expect(sent.status, sent.body).toBe(200);
    const { upload } = (JSON.parse(sent.body) as { value: { upload: string } }).value;
    const imported = await call('ingest.import', { files: [{ upload, name: 'shipment.xml' }] });
    expect(imported).toMatchObject({
      ok: true,
      value: { results: [{ file: 'shipment.xml', status: 'quarantined', imported: 0, quarantined: 1 }] },
    });
    const [result] = (
      imported.value as { results: { reasons: { message: string }[]; quarantineId: number }[] }
    ).results;
    const said = result!.reasons.map((r) => r.message).join(' | ');
    expect(said).toContain('the file is not text');

    // The ledger holds the item, its hash and reasons: kilobytes, not the file.
    expect(ledgerBytes() - before).toBeLessThan(8 * 1024 * 1024);
    const item = await call('quarantine.show', { id: result!.quarantineId });
    expect(item).toMatchObject({ ok: true, value: { size: SIZE, status: 'open' } });
    // The item says that no copy was kept, and why (never silently dropped).
    const reasons = (item.value as { reasons: { message: string }[] }).reasons
      .map((r) => r.message)
      .join(' | ');
    expect(reasons).toContain('kept no copy');
    expect(reasons).toContain(`over the ${QUARANTINE_RAW_CAPS.perFileBytes / (1024 * 1024)} MiB`);
    // The staged copy is gone.
    const tmp = path.join(data, 'tmp');
    expect(fs.existsSync(tmp) ? fs.readdirSync(tmp).filter((n) => n.startsWith('upload-')) : []).toEqual([]);
  }, 300_000);
});
