import { keychain } from '../../core/installation/installation';
import { workspaceFor } from '../../core/ledger/open';
import { projections } from '../../core/projections';
import { dataOption, type Command } from '../command';
import { openCliLedger } from './ledger-common';
import { cliCommand } from '../invocation';
import { personOf, PASSWORD_HINT } from '../person';

/** `custodia keys rotate`: a new field-sealing key version; old sealed values stay readable. */
export const keysRotateCommand: Command = {
  name: 'keys rotate',
  summary: 'Add a new field-sealing key version (old sealed values stay readable)',
  usage: `keys rotate --user NAME [--data DIR]   (${PASSWORD_HINT})`,
  options: { ...dataOption },
  // Changing keys is an administrator's, as the recovery kit is (settings.manage), and recorded.
  access: { kind: 'person', permission: 'settings.manage', procedure: 'keys.rotate' },
  async run(args, io, caller) {
    const opened = await openCliLedger(args);
    const { installation } = opened;
    try {
      const before = installation.keys.currentSealingVersion;
      const { version } = await keychain(() => installation.keys.rotateSealingKey());
      // Which version, never the key: a recovery kit made before this lacks it.
      await workspaceFor(opened, projections).write((tx) =>
        tx.record('keys.sealing-key-rotated', personOf(caller).actor, { from: before, to: version }),
      );
      io.out(`Rotated: field-sealing key v${before} -> v${version}. New values are sealed with v${version};`);
      io.out(
        `values sealed with v${installation.keys.sealingVersions.filter((v) => v < version).join(', v')} stay readable.`,
      );
      io.out('Your recovery kit lacks the new key: make a new one now with');
      io.out(`  ${cliCommand(io.env)} keys recovery-kit --out FILE --user NAME --data DIR`);
    } finally {
      opened.close();
    }
    return 0;
  },
};
