import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/*
 * Test certificates made with Debian's openssl at test time, in a temporary folder the caller
 * removes: a partner CA with a server certificate for 127.0.0.1, an expired server certificate, a
 * server certificate from another CA, and client certificates (good, expired, from another CA).
 * EC P-256 keys: quick to make, and small enough for a keychain entry.
 */

export interface Pem {
  readonly cert: string;
  readonly key: string;
}

export interface TestCerts {
  readonly dir: string;
  readonly ca: Pem;
  readonly otherCa: Pem;
  readonly server: Pem;
  readonly expiredServer: Pem;
  readonly otherCaServer: Pem;
  readonly client: Pem;
  readonly expiredClient: Pem;
  readonly otherCaClient: Pem;
  remove(): void;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function key(dir: string, name: string): void {
  openssl(dir, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`]);
}

function makeCa(dir: string, name: string, cn: string): void {
  key(dir, name);
  openssl(dir, [
    'req',
    '-x509',
    '-new',
    '-key',
    `${name}.key`,
    '-subj',
    `/CN=${cn}`,
    '-days',
    '30',
    '-out',
    `${name}.crt`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
}

/** A leaf signed by `ca`; `expired` ends its validity a day before it starts (OpenSSL 3.0 has no -not_after). */
function makeLeaf(
  dir: string,
  name: string,
  ca: string,
  cn: string,
  kind: 'server' | 'client',
  expired = false,
): void {
  key(dir, name);
  openssl(dir, ['req', '-new', '-key', `${name}.key`, '-subj', `/CN=${cn}`, '-out', `${name}.csr`]);
  const ext = path.join(dir, `${name}.ext`);
  fs.writeFileSync(
    ext,
    kind === 'server'
      ? 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n'
      : 'extendedKeyUsage=clientAuth\n',
  );
  const validity = ['-days', expired ? '-1' : '400'];
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.crt`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-out',
    `${name}.crt`,
    '-extfile',
    ext,
    ...validity,
  ]);
}

const read = (dir: string, name: string): Pem => ({
  cert: fs.readFileSync(path.join(dir, `${name}.crt`), 'utf8'),
  key: fs.readFileSync(path.join(dir, `${name}.key`), 'utf8'),
});

export function makeTestCerts(): TestCerts {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-certs-'));
  makeCa(dir, 'ca', 'Keystone Test Partner CA');
  makeCa(dir, 'other-ca', 'Somebody Else CA');
  makeLeaf(dir, 'server', 'ca', 'epcis.keystone.test', 'server');
  makeLeaf(dir, 'expired-server', 'ca', 'old.keystone.test', 'server', true);
  makeLeaf(dir, 'other-server', 'other-ca', 'impostor.test', 'server');
  makeLeaf(dir, 'client', 'ca', 'Main Street Pharmacy', 'client');
  makeLeaf(dir, 'expired-client', 'ca', 'Main Street Pharmacy (old)', 'client', true);
  makeLeaf(dir, 'other-client', 'other-ca', 'Main Street Pharmacy (wrong CA)', 'client');
  return {
    dir,
    ca: read(dir, 'ca'),
    otherCa: read(dir, 'other-ca'),
    server: read(dir, 'server'),
    expiredServer: read(dir, 'expired-server'),
    otherCaServer: read(dir, 'other-server'),
    client: read(dir, 'client'),
    expiredClient: read(dir, 'expired-client'),
    otherCaClient: read(dir, 'other-client'),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
