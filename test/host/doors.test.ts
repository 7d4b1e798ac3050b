import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/core/app';
import { startHost, type Host } from '../../src/cli/host/server';
import { makeCore, PASSWORDS, staffPharmacy, tempDir } from '../inventory/helpers';
import { requireKeyring } from '../secrets/keyring';

requireKeyring();

/**
 * Issue 18: downloads and events need a person. /exports/… only for a person signed in on the page,
 * not locked, with the permission that made the file, through a random one-time id; a job's events
 * only to the session that started it while signed in; a ledger alarm to every signed-in page.
 */
let core: Core;
let host: Host;
const root = tempDir('custodia-host-doors-');
const data = path.join(root, 'data');
const rendererDir = path.join(root, 'renderer');
const BUNDLE = 'custodia-audit-2026-03-02T09-00-00-000Z.bundle';

beforeAll(async () => {
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Custodia</title>');
  core = makeCore(data);
  await staffPharmacy(core);
  fs.mkdirSync(path.join(data, 'exports'), { recursive: true });
  fs.writeFileSync(path.join(data, 'exports', BUNDLE), 'staff names and prescription numbers');
  host = await startHost({ core, rendererDir, port: 0 });
}, 60_000);
afterAll(async () => {
  await host.close();
  await core.close();
  fs.rmSync(root, { recursive: true, force: true });
});

interface Answer {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

function request(pathname: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: host.port,
        path: pathname,
        method: body === undefined ? 'GET' : 'POST',
        headers,
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A browser page: the token URL traded for its cookies, a session of its own. */
async function page(): Promise<{ cookie: string; call(method: string, input?: unknown): Promise<unknown> }> {
  const opened = await request(`/?token=${host.token}`, {});
  const cookie = (opened.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
  return {
    cookie,
    async call(method, input) {
      const answer = await request(
        '/api/call',
        { Cookie: cookie, 'Content-Type': 'application/json' },
        JSON.stringify({ method, input }),
      );
      return JSON.parse(answer.body) as unknown;
    },
  };
}

async function signedIn(username: keyof typeof PASSWORDS) {
  const p = await page();
  expect(await p.call('auth.signIn', { username, password: PASSWORDS[username] })).toMatchObject({
    ok: true,
  });
  return p;
}

/** The frames a page's event stream receives until stop() is called. */
function listen(cookie: string): Promise<{ frames: unknown[]; stop(): void }> {
  return new Promise((resolve, reject) => {
    const frames: unknown[] = [];
    const req = http.get(
      { host: '127.0.0.1', port: host.port, path: '/api/events', headers: { Cookie: cookie } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          let end;
          while ((end = text.indexOf('\n\n')) >= 0) {
            const frame = text.slice(0, end);
            text = text.slice(end + 2);
            if (frame.startsWith('data: ')) frames.push(JSON.parse(frame.slice(6)));
            if (frame === ': connected') resolve({ frames, stop: () => req.destroy() });
          }
        });
        res.on('error', () => {});
      },
    );
    req.on('error', reject);
  });
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('downloads need a person with the permission (issue 18)', () => {
  it('refuses the token alone, a page nobody is signed in on, and a person without audit.export', async () => {
    expect((await request(`/exports/${BUNDLE}`, { Authorization: `Bearer ${host.token}` })).status).toBe(401);
    const nobody = await page();
    expect((await request(`/exports/${BUNDLE}`, { Cookie: nobody.cookie })).status).toBe(401);
    const tess = await signedIn('tess');
    const refused = await request(`/exports/${BUNDLE}`, { Cookie: tess.cookie });
    expect(refused.status).toBe(403);
    expect(refused.body).not.toContain('prescription');
  });

  it('sends a person who may to a random one-time id, good only for their own page, and only once', async () => {
    const ava = await signedIn('ava');
    const offered = await request(`/exports/${BUNDLE}`, { Cookie: ava.cookie });
    expect(offered.status).toBe(303);
    const location = offered.headers.location!;
    expect(location).toMatch(/^\/exports\/once\/[\w-]{32}$/);
    expect(location).not.toContain('2026');
    // Another signed-in person's page cannot use it (and it is spent by the attempt).
    const cora = await signedIn('cora');
    expect((await request(location, { Cookie: cora.cookie })).status).toBe(404);
    const again = await request(`/exports/${BUNDLE}`, { Cookie: ava.cookie });
    const file = await request(again.headers.location!, { Cookie: ava.cookie });
    expect(file.status).toBe(200);
    expect(file.body).toBe('staff names and prescription numbers');
    expect(file.headers['cache-control']).toBe('no-store');
    expect((await request(again.headers.location!, { Cookie: ava.cookie })).status).toBe(404);
  });

  it('refuses a locked page, even with an id it was given before the lock', async () => {
    const ava = await signedIn('ava');
    const offered = await request(`/exports/${BUNDLE}`, { Cookie: ava.cookie });
    expect(await ava.call('auth.lock')).toMatchObject({ ok: true });
    expect((await request(offered.headers.location!, { Cookie: ava.cookie })).status).toBe(404);
    expect((await request(`/exports/${BUNDLE}`, { Cookie: ava.cookie })).status).toBe(401);
  });
});

describe('events reach only signed-in pages (issue 18)', () => {
  it("a job's events go to the page that started it; an alarm to every signed-in page; none to a page without a person or a locked one", async () => {
    const phil = await signedIn('phil');
    const tess = await signedIn('tess');
    const nobody = await page();
    const [toPhil, toTess, toNobody] = await Promise.all([
      listen(phil.cookie),
      listen(tess.cookie),
      listen(nobody.cookie),
    ]);
    expect(await phil.call('ledger.verify', { jobId: 'phils-verify' })).toMatchObject({ ok: true });
    await settle();
    const topics = (frames: unknown[]) => frames.map((f) => (f as { topic: string; jobId?: string }).topic);
    expect(topics(toPhil.frames)).toContain('job.finished');
    expect(
      toPhil.frames
        .filter((f) => (f as { jobId?: string }).jobId !== undefined)
        .every((f) => (f as { jobId: string }).jobId === 'phils-verify'),
    ).toBe(true);
    expect(topics(toTess.frames)).not.toContain('job.finished');
    expect(toNobody.frames).toEqual([]);

    core.events.emit({
      topic: 'ledger.alarm',
      kind: 'integrity',
      message: 'the ledger changed outside Custodia',
    });
    await settle();
    expect(topics(toPhil.frames)).toContain('ledger.alarm');
    expect(topics(toTess.frames)).toContain('ledger.alarm');
    expect(toNobody.frames).toEqual([]);

    // Locked: the page keeps its stream but hears nothing until its person unlocks.
    expect(await tess.call('auth.lock')).toMatchObject({ ok: true });
    const heard = toTess.frames.length;
    core.events.emit({
      topic: 'job.progress',
      jobId: 'folder-1',
      label: 'Reading secret-partner-file.xml',
      done: 1,
      total: null,
    });
    await settle();
    expect(toTess.frames.length).toBe(heard);
    expect(topics(toPhil.frames)).toContain('job.progress');
    expect(toNobody.frames).toEqual([]);
    for (const stream of [toPhil, toTess, toNobody]) stream.stop();
  });
});
