import { keychain } from '../../core/installation/installation';
import { dataOption, type Command } from '../command';
import { openCliLedger } from './ledger-common';
import { cliCommand } from '../invocation';

/** `custodia keys rotate`: a new field-sealing key version; old sealed values stay readable. */
export const keysRotateCommand: Command = {
  name: 'keys rotate',
  summary: 'Add a new field-sealing key version (old sealed values stay readable)',
  usage: 'keys rotate [--data DIR]',
  options: { ...dataOption },
  async run(args, io) {
    const opened = await openCliLedger(args);
    const { installation } = opened;
    try {
      const before = installation.keys.currentSealingVersion;
      const { version } = await keychain(() => installation.keys.rotateSealingKey());
      io.out(`Rotated: field-sealing key v${before} -> v${version}. New values are sealed with v${version};`);
      io.out(
        `values sealed with v${installation.keys.sealingVersions.filter((v) => v < version).join(', v')} stay readable.`,
      );
      io.out('Your recovery kit lacks the new key: make a new one now with');
      io.out(`  ${cliCommand(io.env)} keys recovery-kit --out FILE --data DIR`);
    } finally {
      opened.close();
    }
    return 0;
  },
};
