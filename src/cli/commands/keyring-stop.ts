import { dataOption, type Command } from '../command';
import { keyringHome, stopSession } from '../keyring';
import { dataDirOf } from './keys-common';

/** `custodia keyring stop`: ends the data folder's keyring session (machines without a desktop). */
export const keyringStopCommand: Command = {
  name: 'keyring stop',
  summary: "Stop the data folder's keyring session (no desktop session); its password opens it again",
  usage: 'keyring stop [--data DIR]',
  options: { ...dataOption },
  access: { kind: 'none' },
  run(args, io) {
    const home = keyringHome(dataDirOf(args));
    io.out(
      stopSession(home) ? `Stopped the keyring of ${home}.` : `No keyring session of ${home} is running.`,
    );
    return Promise.resolve(0);
  },
};
