import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/core/app';
import type { Result } from '../../src/core/api/errors';
import { silentLog } from '../../src/core/platform/log';
import { createMemorySecretStore } from '../../src/core/secrets/memory-store';
import { documentHead, events as ev, sgtin, withCheck } from '../support/synthetic';
import { startHost, type Host } from '../../src/cli/host/server';
import { PRODUCT, writeBigEpcis } from './big-epcis';

/*
 * Streamed uploads through a real host on 127.0.0.1: a partner file far past the 8 MiB call limit
 * is piped to <data>/tmp, named by an opaque id in ingest.import, imported from there and deleted.
 * Who may upload is checked by the core on the page's session, like every call.
 */

const PEOPLE = {
  admin: { password: 'correct horse battery staple', roles: ['administrator'] },
  tess: { password: 'blue kettle morning walk', roles: ['technician'] },
  phil: { password: 'quiet river copper lamp', roles: ['pharmacist'] },
  cora: { password: 'seven orange paper kites', roles: ['compliance-officer'] },
  ava: { password: 'north window silver tea', roles: ['auditor'] },
} as const;
type Who = keyof typeof PEOPLE;

let core: Core;
let host: Host;
/** The same core behind a host whose upload cap is 1 MiB, for the over-cap refusals. */
let small: Host;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-uploads-'));
const dataDir = path.join(root, 'data');
const tmpDir = path.join(dataDir, 'tmp');
const rendererDir = path.join(root, 'renderer');
const cookies = new Map<string, string>();

interface Reply {
  status: number;
  body: string;
  type: string;
}

function request(
  target: Host,
  method: string,
  pathname: string,
  headers: Record<string, string | number>,
  body?: Buffer | Readable,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: target.port, path: pathname, method, headers },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: text, type: res.headers['content-type'] ?? '' }),
        );
      },
    );
    req.on('error', reject);
    if (body instanceof Readable) body.pipe(req);
    else req.end(body);
  });
}

/** A browser session on a host: its token traded for cookies, then signed in as `who`. */
async function signedIn(who: Who, target = host): Promise<string> {
  const key = `${target.port}:${who}`;
  const known = cookies.get(key);
  if (known !== undefined) return known;
  const traded = await new Promise<string[]>((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: target.port, path: `/?token=${target.token}` }, (res) => {
        res.resume();
        resolve(res.headers['set-cookie'] ?? []);
      })
      .on('error', reject);
  });
  const cookie = traded.map((c) => c.split(';')[0]).join('; ');
  const r = await call(cookie, 'auth.signIn', { username: who, password: PEOPLE[who].password }, target);
  expect(r.ok, JSON.stringify(r)).toBe(true);
  cookies.set(key, cookie);
  return cookie;
}

async function call(cookie: string, method: string, input: unknown, target = host): Promise<Result<unknown>> {
  const r = await request(
    target,
    'POST',
    '/api/call',
    { Cookie: cookie, 'Content-Type': 'application/json' },
    Buffer.from(JSON.stringify({ method, input })),
  );
  expect(r.status).toBe(200);
  return JSON.parse(r.body) as Result<unknown>;
}

function upload(
  cookie: string,
  name: string | undefined,
  body: Buffer | Readable,
  extra: Record<string, string | number> = {},
  target = host,
): Promise<Reply> {
  return request(
    target,
    'PUT',
    '/uploads',
    {
      Cookie: cookie,
      'Content-Type': 'application/octet-stream',
      ...(name !== undefined ? { 'X-Custodia-File-Name': encodeURIComponent(name) } : {}),
      ...(Buffer.isBuffer(body) ? { 'Content-Length': body.length } : {}),
      ...extra,
    },
    body,
  );
}

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const end = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const staged = () =>
  fs.existsSync(tmpDir) ? fs.readdirSync(tmpDir).filter((n) => n.startsWith('upload-')) : [];

async function uploadId(who: Who, name: string, bytes: Buffer): Promise<string> {
  const r = await upload(await signedIn(who), name, bytes);
  expect(r.status, r.body).toBe(200);
  return (JSON.parse(r.body) as { value: { upload: string } }).value.upload;
}

const smallEpcis = (serial: string) =>
  Buffer.from(
    documentHead({ products: [PRODUCT] }) +
      ev.commission([sgtin(PRODUCT.gtin, serial)], {
        time: '2026-02-01T10:00:00.000Z',
        location: withCheck('030002222222'),
      }) +
      '\n</EventList></EPCISBody></epcis:EPCISDocument>\n',
  );

beforeAll(async () => {
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Custodia</title>');
  core = createCore({
    version: 'test',
    dataDir,
    log: silentLog,
    secrets: createMemorySecretStore(),
    scryptCost: { n: 1024, r: 8, p: 1 },
  });
  host = await startHost({ core, rendererDir, port: 0 });
  small = await startHost({ core, rendererDir, port: 0, maxUploadBytes: 1024 * 1024 });
  const session = core.sessions.slot('test-setup');
  const setup = (method: string, input: unknown) =>
    core.router.call({ transport: 'http', principal: session.get(), emit: () => {}, session }, method, input);
  const init = await setup('setup.initialize', {
    registrant: {
      name: 'Main Street Pharmacy',
      address: { line1: '1 Main Street', city: 'Springfield', state: 'IL', zip: '62701' },
      deaNumber: 'AB1234563',
      stateLicense: 'IL-054-000123',
      glns: ['0614141000005'],
      businessType: 'pharmacy',
    },
    administrator: { username: 'admin', displayName: 'Ada Admin', password: PEOPLE.admin.password },
  });
  expect(init.ok, JSON.stringify(init)).toBe(true);
  for (const who of ['tess', 'phil', 'cora', 'ava'] as const) {
    const made = await setup('users.create', {
      username: who,
      displayName: who,
      roles: PEOPLE[who].roles,
      password: PEOPLE[who].password,
    });
    expect(made.ok, JSON.stringify(made)).toBe(true);
  }
});

afterAll(async () => {
  await small.close();
  await host.close();
  await core.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('streamed uploads through the host', () => {
  it('streams a 20 MB EPCIS file to the data folder, imports it by its id, then deletes it', async () => {
    const file = path.join(root, 'partner-shipment.xml');
    const { bytes, events } = writeBigEpcis(file, 20 * 1024 * 1024);
    const cookie = await signedIn('phil');
    // The first half is sent, and must be on disk before the rest is: the host streams, it does
    // not gather the body in memory first.
    const content = fs.readFileSync(file);
    const half = Math.floor(bytes / 2);
    const body = new PassThrough();
    const sending = upload(cookie, 'C:\\Users\\phil\\partner-shipment.xml', body, {
      'Content-Length': bytes,
    });
    body.write(content.subarray(0, half));
    await until(() => staged().some((n) => fs.statSync(path.join(tmpDir, n)).size >= half));
    body.end(content.subarray(half));
    const sent = await sending;
    expect(sent.status, sent.body).toBe(200);
    const value = (JSON.parse(sent.body) as { value: { upload: string; name: string; size: number } }).value;
    expect(value).toMatchObject({ name: 'partner-shipment.xml', size: bytes });
    expect(value.upload).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(staged()).toHaveLength(1);
    expect(fs.readFileSync(path.join(tmpDir, staged()[0]!)).equals(content)).toBe(true);
    expect(fs.statSync(path.join(tmpDir, staged()[0]!)).mode & 0o777).toBe(0o600);

    const imported = await call(cookie, 'ingest.import', {
      files: [{ upload: value.upload, name: 'partner-shipment.xml' }],
    });
    expect(imported).toMatchObject({
      ok: true,
      value: { results: [{ file: 'partner-shipment.xml', status: 'imported', events, imported: events }] },
    });
    expect(staged()).toEqual([]);
    const files = await call(cookie, 'ingest.files', {});
    expect(files).toMatchObject({
      ok: true,
      value: { files: [{ name: 'partner-shipment.xml', records: events }] },
    });

    // An id works once.
    const again = await call(cookie, 'ingest.import', {
      files: [{ upload: value.upload, name: 'partner-shipment.xml' }],
    });
    expect(again).toMatchObject({ ok: false, error: { code: 'not-found' } });
  }, 120_000);

  it('refuses an upload without the token, from another origin, or from a page nobody signed in to', async () => {
    const bytes = smallEpcis('A1');
    const noToken = await upload('', 'a.xml', bytes);
    expect(noToken.status).toBe(401);
    const phil = await signedIn('phil');
    const foreign = await upload(phil, 'a.xml', bytes, { Origin: 'https://attacker.example' });
    expect(foreign.status).toBe(403);
    const crossSite = await upload(phil, 'a.xml', bytes, { 'Sec-Fetch-Site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    // The token alone (a script's Bearer header) names no signed-in person: the core refuses.
    const bearer = await request(
      host,
      'PUT',
      '/uploads',
      {
        Authorization: `Bearer ${host.token}`,
        'Content-Type': 'application/octet-stream',
        'X-Custodia-File-Name': 'a.xml',
        'Content-Length': bytes.length,
      },
      bytes,
    );
    expect(bearer.status).toBe(401);
    expect(JSON.parse(bearer.body)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    // After signing out, the same page's cookie uploads nothing.
    const tess = await signedIn('tess');
    expect((await call(tess, 'auth.signOut', {})).ok).toBe(true);
    cookies.delete(`${host.port}:tess`);
    const signedOut = await upload(tess, 'a.xml', bytes);
    expect(signedOut.status).toBe(401);
    expect(staged()).toEqual([]);
  });

  it('lets every role with import.write upload and refuses an auditor', async () => {
    for (const who of ['tess', 'phil', 'cora'] as const) {
      const r = await upload(await signedIn(who), 'ok.xml', smallEpcis(`R${who}`));
      expect(r.status, `${who}: ${r.body}`).toBe(200);
    }
    const auditor = await upload(await signedIn('ava'), 'no.xml', smallEpcis('R-ava'));
    expect(auditor.status).toBe(403);
    expect(JSON.parse(auditor.body)).toMatchObject({
      ok: false,
      error: { code: 'forbidden', details: { permission: 'import.write' } },
    });
    const admin = await upload(await signedIn('admin'), 'no.xml', smallEpcis('R-admin'));
    expect(admin.status).toBe(403);
    expect(staged()).toHaveLength(3);
  });

  it('refuses past the cap with 413: at once for a declared length, and mid-stream, keeping nothing', async () => {
    const before = staged();
    const cookie = await signedIn('phil', small);
    const declared = await upload(cookie, 'huge.xml', Buffer.alloc(3 * 1024 * 1024, 0x20), {}, small);
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', details: { limitBytes: 1024 * 1024 } },
    });
    expect(JSON.parse(declared.body).error.message).toContain('custodia import');

    // No length given, and a body that never ends: the host answers 413, then hangs up on the
    // sender instead of reading on.
    const endless = new Readable({
      read() {
        this.push(Buffer.alloc(64 * 1024, 0x20));
      },
    });
    const outcome = await new Promise<{ status: number; hungUpMs: number }>((resolve, reject) => {
      let status = 0;
      let answeredAt = 0;
      const req = http.request(
        {
          host: '127.0.0.1',
          port: small.port,
          path: '/uploads',
          method: 'PUT',
          headers: {
            Cookie: cookie,
            'Content-Type': 'application/octet-stream',
            'X-Custodia-File-Name': 'endless.xml',
            'Transfer-Encoding': 'chunked',
          },
        },
        (res) => {
          status = res.statusCode ?? 0;
          answeredAt = performance.now();
          res.resume();
        },
      );
      req.on('error', () => {}); // the hang-up shows as a reset on the sender's side
      req.on('close', () =>
        answeredAt === 0
          ? reject(new Error('closed before any answer'))
          : resolve({ status, hungUpMs: performance.now() - answeredAt }),
      );
      endless.pipe(req);
    });
    endless.destroy();
    expect(outcome.status).toBe(413);
    expect(outcome.hungUpMs).toBeLessThan(5000);
    expect(staged()).toEqual(before);
  }, 30_000);

  it('keeps nothing of an upload the sender broke off', async () => {
    const before = staged();
    const cookie = await signedIn('phil');
    const body = new PassThrough();
    const req = http.request({
      host: '127.0.0.1',
      port: host.port,
      path: '/uploads',
      method: 'PUT',
      headers: {
        Cookie: cookie,
        'Content-Type': 'application/octet-stream',
        'X-Custodia-File-Name': 'half.xml',
        'Content-Length': 4 * 1024 * 1024,
      },
    });
    req.on('error', () => {});
    body.pipe(req);
    body.write(Buffer.alloc(1024 * 1024, 0x20));
    await until(() => staged().length > before.length);
    req.destroy();
    await until(() => staged().length === before.length);
    expect(staged()).toEqual(before);
  });

  it('refuses an unknown id and another person’s id, saying to upload again', async () => {
    const phil = await signedIn('phil');
    const unknown = await call(phil, 'ingest.import', {
      files: [{ upload: 'x'.repeat(32), name: 'lost.xml' }],
    });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(!unknown.ok && unknown.error.message).toContain('Upload it again');

    const id = await uploadId('tess', 'tess-file.xml', smallEpcis('T-1'));
    const foreign = await call(phil, 'ingest.import', { files: [{ upload: id, name: 'tess-file.xml' }] });
    expect(foreign).toMatchObject({ ok: false, error: { code: 'not-found' } });
    // The refused attempt did not use the file up: its owner still imports it.
    const own = await call(await signedIn('tess'), 'ingest.import', {
      files: [{ upload: id, name: 'tess-file.xml' }],
    });
    expect(own).toMatchObject({ ok: true, value: { results: [{ status: 'imported', events: 1 }] } });
  });

  it('keeps the raw bytes of a rejected uploaded file in quarantine', async () => {
    const broken = Buffer.concat([
      smallEpcis('Q-1').subarray(0, -40),
      Buffer.from('<ObjectEvent><eventTime>'),
    ]);
    const cookie = await signedIn('phil');
    const waiting = staged().length;
    const id = await uploadId('phil', 'broken.xml', broken);
    const r = await call(cookie, 'ingest.import', { files: [{ upload: id, name: 'broken.xml' }] });
    expect(r).toMatchObject({ ok: true, value: { results: [{ status: 'quarantined' }] } });
    const quarantineId = (r as { value: { results: { quarantineId: number }[] } }).value.results[0]!
      .quarantineId;
    const raw = await call(cookie, 'quarantine.raw', { id: quarantineId });
    expect(raw).toMatchObject({ ok: true, value: { name: 'broken.xml' } });
    expect(Buffer.from((raw as { value: { base64: string } }).value.base64, 'base64').equals(broken)).toBe(
      true,
    );
    expect(staged()).toHaveLength(waiting);
  });

  it('drops folders from the name and refuses a missing name, another method or content type', async () => {
    const cookie = await signedIn('phil');
    const named = await upload(cookie, 'C:\\Users\\phil\\..\\Downloads/ship notice.xml', smallEpcis('N-1'));
    expect(JSON.parse(named.body)).toMatchObject({ ok: true, value: { name: 'ship notice.xml' } });
    const nameless = await upload(cookie, undefined, smallEpcis('N-2'));
    expect(nameless.status).toBe(400);
    expect(JSON.parse(nameless.body).error.message).toContain('X-Custodia-File-Name');
    expect((await upload(cookie, '../..', smallEpcis('N-3'))).status).toBe(400);
    const post = await request(host, 'POST', '/uploads', {
      Cookie: cookie,
      'Content-Type': 'application/octet-stream',
    });
    expect(post.status).toBe(405);
    const json = await upload(cookie, 'a.xml', smallEpcis('N-4'), { 'Content-Type': 'application/json' });
    expect(json.status).toBe(415);
  });

  it('still imports a small file sent base64 inside the call', async () => {
    const bytes = smallEpcis('B-1');
    const r = await call(await signedIn('phil'), 'ingest.import', {
      files: [{ name: 'small.xml', base64: bytes.toString('base64') }],
    });
    expect(r).toMatchObject({ ok: true, value: { results: [{ status: 'imported', events: 1 }] } });
  });
});
