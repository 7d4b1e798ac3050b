import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/core/app';
import { silentLog } from '../../src/core/platform/log';
import { startHost, type Host } from '../../src/cli/host/server';

let core: Core;
let host: Host;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-host-'));
const rendererDir = path.join(root, 'renderer');

beforeAll(async () => {
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Custodia</title>');
  fs.writeFileSync(path.join(root, 'secret.txt'), 'outside the renderer');
  core = createCore({ version: 'test', dataDir: path.join(root, 'data'), log: silentLog });
  host = await startHost({ core, rendererDir, port: 0 });
});
afterAll(async () => {
  await host.close();
  fs.rmSync(root, { recursive: true, force: true });
});

function request(
  pathname: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: host.port,
        path: pathname,
        method: body === undefined ? 'GET' : 'POST',
        headers,
        setHost: headers.Host === undefined,
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

const auth = () => ({ Authorization: `Bearer ${host.token}` });

describe('the headless host', () => {
  it('listens on 127.0.0.1 only', async () => {
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((address) => address && address.family === 'IPv4' && !address.internal);
    const addresses = external ? [external.address, '::1'] : ['::1'];
    for (const address of addresses) {
      const refused = await new Promise<boolean>((resolve) => {
        const socket = net.connect({ host: address, port: host.port });
        socket.once('connect', () => {
          socket.destroy();
          resolve(false);
        });
        socket.once('error', () => resolve(true));
      });
      expect(refused, `reachable on ${address}`).toBe(true);
    }
  });

  it('answers 401 without the token and with a wrong one', async () => {
    expect((await request('/')).status).toBe(401);
    expect((await request('/api/call', { 'Content-Type': 'application/json' }, '{}')).status).toBe(401);
    expect((await request('/', { Authorization: 'Bearer nope' })).status).toBe(401);
    expect((await request('/?token=nope')).status).toBe(401);
  });

  it('trades the URL token for HttpOnly SameSite=Strict cookies', async () => {
    const response = await request(`/?token=${host.token}`);
    expect(response.status).toBe(303);
    const cookies = response.headers['set-cookie'] ?? [];
    expect(cookies.every((cookie) => cookie.includes('HttpOnly') && cookie.includes('SameSite=Strict'))).toBe(
      true,
    );
    const cookie = cookies.map((c) => c.split(';')[0]).join('; ');
    expect((await request('/', { Cookie: cookie })).status).toBe(200);
  });

  it('refuses a foreign Host header (DNS rebinding) and foreign origins, and sends no CORS headers', async () => {
    expect((await request('/', { ...auth(), Host: `attacker.example:${host.port}` })).status).toBe(421);
    const call = { ...auth(), 'Content-Type': 'application/json' };
    const body = JSON.stringify({ method: 'system.info' });
    expect((await request('/api/call', { ...call, Origin: 'https://attacker.example' }, body)).status).toBe(
      403,
    );
    const ok = await request('/api/call', { ...call, Origin: `http://127.0.0.1:${host.port}` }, body);
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBeUndefined();
    expect(ok.headers['content-security-policy']).toContain("default-src 'self'");
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: { transport: 'http' } });
  });

  it('rejects invalid input through the procedure schema as a typed error', async () => {
    const response = await request(
      '/api/call',
      { ...auth(), 'Content-Type': 'application/json' },
      JSON.stringify({ method: 'system.echo', input: { text: 5, count: 1 } }),
    );
    expect(JSON.parse(response.body)).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', details: { issues: [{ path: 'text' }] } },
    });
  });

  it('never serves files outside the renderer directory', async () => {
    for (const attempt of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e%2fsecret.txt',
    ]) {
      const response = await request(attempt, auth());
      expect(response.body).not.toContain('outside the renderer');
    }
  });

  it('sends no events to a page where nobody is signed in (test/host/doors.test.ts: who does get them)', async () => {
    const frames = await new Promise<string>((resolve, reject) => {
      const req = http.get(
        { host: '127.0.0.1', port: host.port, path: '/api/events', headers: auth() },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => {
            text += chunk.toString();
            if (text.includes(': connected')) {
              core.events.emit({
                topic: 'job.progress',
                jobId: 'j1',
                label: 'Reading secret-partner-file.xml',
                done: 3,
                total: 10,
              });
              setTimeout(() => {
                req.destroy();
                resolve(text);
              }, 200);
            }
          });
        },
      );
      req.on('error', reject);
    });
    expect(frames).not.toContain('data:');
  });
});

describe('stopping the host', () => {
  it('closes promptly while a page still holds its event stream and a keep-alive socket', async () => {
    const other = await startHost({ core, rendererDir, port: 0 });
    const agent = new http.Agent({ keepAlive: true });
    await new Promise<void>((resolve) => {
      http.get(
        {
          host: '127.0.0.1',
          port: other.port,
          path: '/api/events',
          agent,
          headers: { Authorization: `Bearer ${other.token}` },
        },
        (res) => {
          res.once('data', () => resolve());
          res.on('error', () => {});
        },
      );
    });
    const started = performance.now();
    await other.close();
    expect(performance.now() - started).toBeLessThan(2000);
    agent.destroy();
  });
});
