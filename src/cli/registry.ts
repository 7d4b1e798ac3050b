import type { Command } from './command';
import { callCommand } from './commands/call';
import { gs1ParseCommand } from './commands/gs1-parse';
import { keysRecoveryKitCommand } from './commands/keys-recovery-kit';
import { keysRestoreCommand } from './commands/keys-restore';
import { keysRotateCommand } from './commands/keys-rotate';
import { serveCommand } from './commands/serve';

/** Every `custodia` command. Add a file under commands/ and one line here. */
export const commands: readonly Command[] = [
  serveCommand,
  callCommand,
  keysRecoveryKitCommand,
  keysRestoreCommand,
  keysRotateCommand,
  gs1ParseCommand,
];
