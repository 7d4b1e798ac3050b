import fs from 'node:fs';
import { createDemoLedger, readDemoResources, removeDemoFolder } from '../../core/demo';
import { readInstallationFile } from '../../core/installation/installation-file';
import { openLedger } from '../../core/ledger/open';
import { projections } from '../../core/projections';
import { readRegistrant } from '../../core/registrant/registrant';
import { dataOption, UsageError, type Command } from '../command';
import { DEMO_RESOURCES } from '../core-for-cli';
import { cliCommand } from '../invocation';
import { packageVersion } from '../version';
import { dataDirOf } from './keys-common';

/** `custodia demo load --data DIR`: the demo month into a ledger of its own, marked DEMO. */
export const demoLoadCommand: Command = {
  name: 'demo load',
  summary: 'Load the demo month (a fictional pharmacy, its people, partners and files) into an empty folder',
  usage: 'demo load --data DIR [--reset]',
  options: { ...dataOption, reset: { type: 'boolean' } },
  // Only into a new or empty folder (or the demo's own): no pharmacy's records are reached.
  access: { kind: 'machine-owner' },
  async run(args, io) {
    if (typeof args.values.data !== 'string')
      throw new UsageError('name the folder for the demo ledger with --data DIR (a new or empty folder)');
    const dataDir = dataDirOf(args);
    const demo = readDemoResources(DEMO_RESOURCES);
    if (readInstallationFile(dataDir) !== undefined) {
      const opened = await openLedger({ dataDir, createIfMissing: false });
      const isDemo = readRegistrant(opened.installation.db)?.demo === true;
      opened.close();
      if (!isDemo)
        throw new UsageError(
          `${dataDir} holds a ledger that is not the demo: choose a new folder for the demo.`,
        );
      if (args.values.reset !== true)
        throw new UsageError(
          `${dataDir} holds the demo already; add --reset to throw it away and load it afresh.`,
        );
      await removeDemoFolder(dataDir);
    } else if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).some((name) => name !== 'keyring')) {
      throw new UsageError(`${dataDir} is not empty: the demo goes into a new or empty folder of its own.`);
    }
    io.out(`Loading the demo month (${demo.title}) into ${dataDir}…`);
    const result = await createDemoLedger(dataDir, demo, {
      projections,
      appVersion: packageVersion(),
      onFile: (file) =>
        io.out(`  ${file.name}: ${file.status}${file.rules.length > 0 ? ` (${file.rules.join(', ')})` : ''}`),
    });
    const width = Math.max(...demo.people.map((p) => p.username.length));
    const cli = cliCommand(io.env);
    io.out(
      [
        `${result.partners} partners, ${result.files.length} files, ${result.people} people. This ledger is marked DEMO.`,
        '',
        'Sign in as (demo passwords, for this demo only):',
        ...demo.people.map(
          (p) => `  ${p.username.padEnd(width)}  ${p.password.padEnd(26)} ${p.roles.join(', ')}`,
        ),
        '',
        'Next:',
        `  ${cli} quarantine list --data ${dataDir}`,
        `  ${cli} serve --data ${dataDir}`,
      ].join('\n'),
    );
    return 0;
  },
};
