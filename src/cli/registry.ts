import type { Command } from './command';
import { callCommand } from './commands/call';
import { serveCommand } from './commands/serve';

/** Every `custodia` command. Add a file under commands/ and one line here. */
export const commands: readonly Command[] = [serveCommand, callCommand];
