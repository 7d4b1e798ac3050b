import { createCore, type Core } from '../core/app';
import { defaultDataDir } from '../core/platform/data-dir';
import { createLog } from '../core/platform/log';
import { stringOption, type ParsedArgs } from './command';
import { packageVersion } from './version';

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
    ...(options.watchFolders === true ? {} : { folderWatch: { timer: false } }),
  });
}
