import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../src/core/app';
import { silentLog } from '../src/core/platform/log';
import { startHost } from '../src/cli/host/server';
import type { Report } from './report';

/** Round trips per second through the headless host vs the router called in-process. */
export async function run(report: Report): Promise<void> {
  const calls = Number(process.env.CUSTODIA_BENCH_CALLS ?? 2000);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-bench-host-'));
  fs.mkdirSync(path.join(root, 'renderer'));
  const core = createCore({ version: 'bench', dataDir: path.join(root, 'data'), log: silentLog });
  const host = await startHost({ core, rendererDir: path.join(root, 'renderer'), port: 0 });
  const input = { text: 'x', count: 1 };

  let start = performance.now();
  for (let i = 0; i < calls; i++) {
    await core.router.call({ transport: 'cli', principal: null, emit: () => {} }, 'system.echo', input);
  }
  const direct = calls / ((performance.now() - start) / 1000);

  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const body = JSON.stringify({ method: 'system.echo', input });
  start = performance.now();
  for (let i = 0; i < calls; i++) {
    await new Promise<void>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: host.port,
          path: '/api/call',
          method: 'POST',
          agent,
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${host.token}` },
        },
        (res) => res.resume().on('end', resolve),
      );
      req.on('error', reject);
      req.end(body);
    });
  }
  const overHttp = calls / ((performance.now() - start) / 1000);
  report({
    figure: 'call-roundtrip',
    value: Math.round(overHttp),
    unit: 'calls/s',
    baseline: Math.round(direct),
    ratio: +(overHttp / direct).toFixed(3),
  });
  agent.destroy();
  await host.close();
  fs.rmSync(root, { recursive: true, force: true });
}
