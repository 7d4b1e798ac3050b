import fs from 'node:fs';
import path from 'node:path';
import { UsageError, dataOption, stringOption, type Command } from '../command';
import { openCliWorkstation } from '../core-for-cli';
import { startHost } from '../host/server';
import { repoRoot } from '../version';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Serve the workstation UI and API on 127.0.0.1 (headless host, token-protected)',
  usage: 'serve [--data DIR] [--port N] [--demo]',
  options: { ...dataOption, port: { type: 'string', short: 'p' }, demo: { type: 'boolean' } },
  // The served pages sign a person in; every procedure checks its caller through the router.
  access: { kind: 'per-procedure' },
  async run(args, io) {
    const portText = stringOption(args, 'port') ?? '0';
    const port = Number(portText);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new UsageError(`--port must be a number from 0 to 65535, not "${portText}"`);
    }
    const rendererDir = path.join(repoRoot, 'out', 'renderer');
    if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
      throw new UsageError('the renderer is not built yet: run `npm run build` first', 1);
    }
    const core = openCliWorkstation(args);
    if (args.values.demo === true) {
      io.out('Opening the demo month (loaded into its own ledger on first use)…');
      try {
        await core.enterDemo();
      } catch (error) {
        await core.close();
        throw error;
      }
    }
    const host = await startHost({ core, rendererDir, port });
    // The "ready" line is the signal scripts and tests wait for; keep its shape stable.
    io.out(`Custodia is ready at ${host.url}`);
    io.out(
      core.showing === 'demo'
        ? `Showing the DEMO ledger in ${core.services.dataDir} (sign in as a demo person; the first-run page lists them).`
        : `Data directory: ${core.services.dataDir}`,
    );
    io.out('Only this computer can reach it (127.0.0.1). Press Ctrl+C to stop.');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await host.close();
    await core.close();
    return 0;
  },
};
