import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError, type CliIo } from './command';

/*
 * A keychain for the command line on a machine without a desktop session (a server, a container,
 * an SSH login): one GNOME Keyring per data folder, started by the first command that needs keys
 * and reused by every later one, the way scripts/start.sh gives the headless host one.
 *
 *   <data>/keyring/data/keyrings/login.keyring    the keyring itself, sealed under its password
 *   $TMPDIR/custodia-keyring-<id>/                the running session: D-Bus socket, keyring
 *                                                 control socket, session.json (gone at reboot)
 *
 * Its password is asked once, when the session starts (or taken from CUSTODIA_KEYRING_PASSWORD);
 * the session stays unlocked until `custodia keyring stop` or the machine restarts. A demo ledger
 * inside a data folder (<data>/demo) uses that folder's keyring, as the app does.
 */

interface KeyringSession {
  readonly address: string;
  readonly pid: number;
  readonly home: string;
}

/** Where a data folder's keyring lives: its own, or that of the data folder it sits in. */
export function keyringHome(dataDir: string): string {
  const start = path.resolve(dataDir);
  for (let dir = start; ; dir = path.dirname(dir)) {
    const home = path.join(dir, 'keyring');
    if (fs.existsSync(path.join(home, 'data', 'keyrings'))) return home;
    if (path.dirname(dir) === dir) break;
  }
  // A ledger made before data folders had keyrings of their own (scripts/with-keyring.sh with a
  // password) keeps its keys in this user's keyring: keep using it rather than a new, empty one.
  if (
    fs.existsSync(path.join(start, 'installation.json')) &&
    fs.existsSync(path.join(userKeyrings(), 'login.keyring'))
  )
    return userKeyrings();
  return path.join(start, 'keyring');
}

/** This user's own keyrings folder (where GNOME Keyring keeps them on a desktop). */
function userKeyrings(): string {
  const dataHome = process.env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(dataHome, 'keyrings');
}

/** The folder GNOME Keyring is told to keep its keyrings/ in (its XDG_DATA_HOME). */
function dataHomeOf(home: string): string {
  return home === userKeyrings() ? path.dirname(home) : path.join(home, 'data');
}

function runDir(home: string): string {
  const id = crypto.createHash('sha256').update(home).digest('hex').slice(0, 12);
  return path.join(os.tmpdir(), `custodia-keyring-${id}`);
}

/**
 * Does this process need a keyring of its own? Only on Linux without a session bus. The process's
 * own environment decides: it is what libsecret reads when keytar first connects.
 */
export function needsOwnKeyring(env: NodeJS.ProcessEnv = process.env): boolean {
  return (
    process.platform === 'linux' &&
    (env.DBUS_SESSION_BUS_ADDRESS ?? '') === '' &&
    (env.CUSTODIA_KEYRING_READY ?? '') === ''
  );
}

/**
 * Makes the keychain reachable for a command about to open the ledger in dataDir: nothing to do on
 * a desktop; otherwise reuse the data folder's running keyring session, or start one.
 */
export async function ensureKeychain(dataDir: string, io: CliIo): Promise<void> {
  if (!needsOwnKeyring()) return;
  const home = keyringHome(dataDir);
  const running = readSession(home);
  if (running !== null) return useSession(running);
  for (const tool of ['dbus-daemon', 'dbus-send', 'gnome-keyring-daemon']) {
    if (!onPath(tool)) {
      throw new UsageError(
        'this computer has no desktop session, and Custodia keeps its keys in a keychain: install GNOME Keyring ' +
          '(sudo apt-get install -y dbus gnome-keyring) and run the command again.',
        1,
      );
    }
  }
  await withStartLock(home, async () => {
    const again = readSession(home);
    if (again !== null) return useSession(again);
    const existing = fs.existsSync(path.join(dataHomeOf(home), 'keyrings'));
    for (let attempt = 1; ; attempt++) {
      const password = await keyringPassword(io, home, existing);
      const session = start(home, password);
      if (unlocked(session.address)) return useSession(session);
      stopSession(home);
      if (
        io.env.CUSTODIA_KEYRING_PASSWORD ||
        process.env.CUSTODIA_KEYRING_PASSWORD ||
        attempt >= 3 ||
        !process.stdin.isTTY
      ) {
        throw new UsageError(
          `the keyring password for ${home} is wrong (it was chosen when that keyring was first made).`,
          1,
        );
      }
      io.err('That password does not open the keyring; try again.');
    }
  });
}

/** Stops the data folder's keyring session; the keyring file stays (its password opens it again). */
export function stopSession(home: string): boolean {
  const session = readSession(home);
  if (session !== null) {
    try {
      process.kill(session.pid, 'SIGTERM'); // the keyring daemon leaves with its bus
    } catch {
      // already gone
    }
  }
  fs.rmSync(runDir(home), { recursive: true, force: true });
  return session !== null;
}

function useSession(session: KeyringSession): void {
  // libsecret (through keytar) reads the address when it first connects, later in this process.
  process.env.DBUS_SESSION_BUS_ADDRESS = session.address;
}

function readSession(home: string): KeyringSession | null {
  const dir = runDir(home);
  let session: KeyringSession;
  try {
    session = JSON.parse(fs.readFileSync(path.join(dir, 'session.json'), 'utf8')) as KeyringSession;
  } catch {
    return null;
  }
  try {
    process.kill(session.pid, 0);
  } catch {
    fs.rmSync(dir, { recursive: true, force: true });
    return null;
  }
  return session.home === home && fs.existsSync(path.join(dir, 'bus')) ? session : null;
}

function start(home: string, password: string): KeyringSession {
  const run = runDir(home);
  fs.mkdirSync(run, { recursive: true, mode: 0o700 });
  fs.mkdirSync(dataHomeOf(home), { recursive: true, mode: 0o700 });
  const env = { ...process.env };
  delete env.DBUS_SESSION_BUS_ADDRESS;
  const bus = spawnSync(
    'dbus-daemon',
    [
      '--session',
      '--fork',
      '--nosyslog',
      `--address=unix:path=${path.join(run, 'bus')}`,
      '--print-address=1',
      '--print-pid=1',
    ],
    { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 },
  );
  const [address, pid] = bus.stdout?.trim().split('\n') ?? [];
  if (bus.status !== 0 || address === undefined || pid === undefined) {
    throw new UsageError(
      `could not start D-Bus for the keyring: ${(bus.stderr ?? '').trim() || 'no answer'}`,
      1,
    );
  }
  const keyring = spawnSync('gnome-keyring-daemon', ['--unlock', '--components=secrets', '--daemonize'], {
    env: {
      ...env,
      DBUS_SESSION_BUS_ADDRESS: address,
      XDG_DATA_HOME: dataHomeOf(home),
      XDG_RUNTIME_DIR: run,
    },
    input: password,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: 10_000,
  });
  const session: KeyringSession = { address, pid: Number(pid), home };
  if (keyring.status !== 0) {
    try {
      process.kill(session.pid, 'SIGTERM');
    } catch {
      // gone
    }
    throw new UsageError(`could not start GNOME Keyring: ${(keyring.stderr ?? '').trim() || 'no answer'}`, 1);
  }
  fs.writeFileSync(path.join(run, 'session.json'), JSON.stringify(session) + '\n', { mode: 0o600 });
  return session;
}

/**
 * Is the keyring's default collection unlocked? Asked from a child process (dbus-send): a wrong
 * password leaves it locked, and this process must not hold a connection to a bus that goes away.
 */
function unlocked(address: string): boolean {
  const reply = spawnSync(
    'dbus-send',
    [
      '--session',
      '--print-reply',
      '--dest=org.freedesktop.secrets',
      '/org/freedesktop/secrets/aliases/default',
      'org.freedesktop.DBus.Properties.Get',
      'string:org.freedesktop.Secret.Collection',
      'string:Locked',
    ],
    { env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: address }, encoding: 'utf8', timeout: 10_000 },
  );
  return reply.status === 0 && /boolean false/.test(reply.stdout ?? '');
}

async function keyringPassword(io: CliIo, home: string, existing: boolean): Promise<string> {
  const given = io.env.CUSTODIA_KEYRING_PASSWORD ?? process.env.CUSTODIA_KEYRING_PASSWORD;
  if (given !== undefined && given !== '') return given;
  if (!process.stdin.isTTY) {
    throw new UsageError(
      `this computer has no desktop session, so Custodia keeps its keys in a keyring of the data folder (${home}); ` +
        'give its password in CUSTODIA_KEYRING_PASSWORD, or run the command in a terminal to be asked once.',
      1,
    );
  }
  if (existing) return askHidden(`Keyring password for ${home}: `);
  io.err(`No desktop session: Custodia keeps this data folder's keys in a keyring of its own (${home}).`);
  for (;;) {
    const first = await askHidden('Choose its password (asked again only after a restart): ');
    if (first.length < 8) {
      io.err('Use at least 8 characters.');
      continue;
    }
    if ((await askHidden('The same password again: ')) === first) return first;
    io.err('The two differ; once more.');
  }
}

/** Reads a line from the terminal without echoing it. */
function askHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let text = '';
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          stdin.off('data', onData);
          stdin.setRawMode(false);
          stdin.pause();
          process.stderr.write('\n');
          resolve(text);
          return;
        }
        if (ch === '\u0003') {
          stdin.setRawMode(false);
          process.stderr.write('\n');
          process.exit(130);
        }
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function withStartLock(home: string, run: () => Promise<void>): Promise<void> {
  const dir = runDir(home);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const lock = `${dir}.starting`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) fs.rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline)
        throw new UsageError(`another command is starting the keyring of ${home}; try again.`, 1);
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    await run();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function onPath(tool: string): boolean {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .some((dir) => dir !== '' && fs.existsSync(path.join(dir, tool)));
}
