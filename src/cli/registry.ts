import type { Command } from './command';
import { arcosSubmittedCommand } from './commands/arcos-submitted';
import { auditExportCommand } from './commands/audit-export';
import { auditVerifyCommand } from './commands/audit-verify';
import { backupCommand, backupRestoreCommand } from './commands/backup';
import { callCommand } from './commands/call';
import { demoLoadCommand } from './commands/demo-load';
import { epcisConvertCommand } from './commands/epcis-convert';
import { epcisHashCommand } from './commands/epcis-hash';
import { epcisValidateCommand } from './commands/epcis-validate';
import { gs1ParseCommand } from './commands/gs1-parse';
import { importCommand } from './commands/import';
import { keyringStopCommand } from './commands/keyring-stop';
import { keysPublicCommand } from './commands/keys-public';
import { keysRecoveryKitCommand } from './commands/keys-recovery-kit';
import { keysRestoreCommand } from './commands/keys-restore';
import { keysRotateCommand } from './commands/keys-rotate';
import { ledgerCheckpointCommand } from './commands/ledger-checkpoint';
import { ledgerVerifyCommand } from './commands/ledger-verify';
import { ordersCommand } from './commands/orders';
import { quarantineCommand } from './commands/quarantine';
import { reportCommand } from './commands/report';
import { reportCheckCommand } from './commands/report-check';
import { reportListCommand } from './commands/report-list';
import { serveCommand } from './commands/serve';
import {
  partnersAddCommand,
  partnersListCommand,
  partnersTestCommand,
  partnersVerifyCommand,
} from './commands/partners';
import { syncRunCommand, syncSendCommand, syncStatusCommand } from './commands/sync';
import { traceCommand } from './commands/trace';

/** Every `custodia` command. Add a file under commands/ and one line here. */
export const commands: readonly Command[] = [
  serveCommand,
  callCommand,
  keysRecoveryKitCommand,
  keysRestoreCommand,
  keysRotateCommand,
  gs1ParseCommand,
  ledgerVerifyCommand,
  ledgerCheckpointCommand,
  backupCommand,
  backupRestoreCommand,
  keysPublicCommand,
  auditExportCommand,
  auditVerifyCommand,
  epcisValidateCommand,
  epcisHashCommand,
  epcisConvertCommand,
  importCommand,
  quarantineCommand,
  traceCommand,
  reportCommand,
  reportListCommand,
  reportCheckCommand,
  arcosSubmittedCommand,
  ordersCommand,
  demoLoadCommand,
  keyringStopCommand,
  partnersAddCommand,
  partnersListCommand,
  partnersTestCommand,
  partnersVerifyCommand,
  syncRunCommand,
  syncStatusCommand,
  syncSendCommand,
];
