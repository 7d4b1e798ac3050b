import path from 'node:path';
import { createCore, type Core } from '../core/app';
import { createWorkstation, type Workstation } from '../core/workstation';
import { defaultDataDir } from '../core/platform/data-dir';
import { createLog } from '../core/platform/log';
import { stringOption, type ParsedArgs } from './command';
import { cliCommand } from './invocation';
import { packageVersion, repoRoot } from './version';

/**
 * The core for one CLI invocation, on --data DIR or the default data directory. Only a long-lived
 * host (`custodia serve`) watches import folders; a one-shot `custodia call` does not.
 */
export function openCliCore(args: ParsedArgs, options: { watchFolders?: boolean } = {}): Core {
  const dataDir = stringOption(args, 'data') ?? defaultDataDir();
  return createCore({
    version: packageVersion(),
    dataDir,
    log: createLog(),
    cliCommand: cliCommand(),
    ...(options.watchFolders === true ? {} : { folderWatch: { timer: false } }),
  });
}

/** The demo month that ships with Custodia (resources/demo, next to out/ and src/). */
export const DEMO_RESOURCES = path.join(repoRoot, 'resources', 'demo');

/** The workstation of `custodia serve`: the pharmacy's own ledger, or the demo in <data>/demo. */
export function openCliWorkstation(args: ParsedArgs): Workstation {
  return createWorkstation({
    version: packageVersion(),
    dataDir: stringOption(args, 'data') ?? defaultDataDir(),
    log: createLog(),
    demoResources: DEMO_RESOURCES,
    cliCommand: cliCommand(),
  });
}
