import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveEndpoint, testConnection } from '../../src/core/sync';
import { request, TransportError } from '../../src/core/sync/transport';
import { makeTestCerts, type TestCerts } from '../support/partner-sim/certs';
import { startPartnerSim } from '../support/partner-sim/server';
import { freshLedger, SELLER_GLN, track } from './helpers';

let certs: TestCerts;
beforeAll(() => {
  certs = makeTestCerts();
});
afterAll(() => certs.remove());

const failure = async (p: Promise<unknown>): Promise<TransportError> => {
  try {
    await p;
  } catch (error) {
    if (error instanceof TransportError) return error;
    throw error;
  }
  throw new Error('the request succeeded');
};

const der = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');

describe('transport security', () => {
  it("accepts the partner CA's server certificate and reports TLS 1.2+ with its subject and expiry", async () => {
    const sim = track(await startPartnerSim({ tls: { server: certs.server } }));
    const answer = await request({
      partner: 'Keystone',
      method: 'OPTIONS',
      url: `${sim.url}/events`,
      tls: { ca: certs.ca.cert },
    });
    expect(answer.status).toBe(204);
    expect(answer.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(answer.tls?.subject).toBe('CN=epcis.keystone.test');
    expect(answer.tls?.validToMs).toBeGreaterThan(Date.now());
  });

  it('refuses an unknown CA, an expired certificate, a wrong pin and plain http to another host, naming the partner', async () => {
    const other = track(await startPartnerSim({ tls: { server: certs.otherCaServer } }));
    expect(
      (
        await failure(
          request({
            partner: 'Keystone',
            method: 'GET',
            url: `${other.url}/events`,
            tls: { ca: certs.ca.cert },
          }),
        )
      ).message,
    ).toMatch(/^Keystone: the server certificate of 127\.0\.0\.1:\d+ is not signed by a trusted authority/);
    const expired = track(await startPartnerSim({ tls: { server: certs.expiredServer } }));
    const e = await failure(
      request({
        partner: 'Keystone',
        method: 'GET',
        url: `${expired.url}/events`,
        tls: { ca: certs.ca.cert },
      }),
    );
    expect(e.kind).toBe('certificate-expired');
    expect(e.message).toMatch(/^Keystone: the server certificate of .* has expired/);
    const good = track(await startPartnerSim({ tls: { server: certs.server } }));
    const pin = crypto.createHash('sha256').update(der(certs.otherCaServer.cert)).digest('hex');
    expect(
      (
        await failure(
          request({
            partner: 'Keystone',
            method: 'GET',
            url: `${good.url}/events`,
            tls: { ca: certs.ca.cert, pinnedSha256: pin },
          }),
        )
      ).kind,
    ).toBe('certificate-pin');
    const rightPin = crypto.createHash('sha256').update(der(certs.server.cert)).digest('hex');
    expect(
      (
        await request({
          partner: 'Keystone',
          method: 'OPTIONS',
          url: `${good.url}/events`,
          tls: { ca: certs.ca.cert, pinnedSha256: rightPin },
        })
      ).status,
    ).toBe(204);
    expect(
      (await failure(request({ partner: 'Keystone', method: 'GET', url: 'http://localhost:9/events' })))
        .message,
    ).toMatch(/^Keystone: only https:\/\/ addresses are allowed/);
  });

  it("mutual TLS: the right client certificate is accepted; none, an expired one or another CA's is refused with the partner named", async () => {
    const sim = track(
      await startPartnerSim({ tls: { server: certs.server, ca: certs.ca.cert, requireClientCert: true } }),
    );
    const url = `${sim.url}/events`;
    const ok = await request({
      partner: 'Keystone',
      method: 'OPTIONS',
      url,
      tls: { ca: certs.ca.cert, clientCert: certs.client.cert, clientKey: certs.client.key },
    });
    expect(ok.status).toBe(204);
    for (const client of [undefined, certs.expiredClient, certs.otherCaClient]) {
      const e = await failure(
        request({
          partner: 'Keystone',
          method: 'OPTIONS',
          url,
          tls: { ca: certs.ca.cert, ...(client ? { clientCert: client.cert, clientKey: client.key } : {}) },
        }),
      );
      expect(['client-certificate', 'reset']).toContain(e.kind);
      expect(e.message).toMatch(/^Keystone: /);
    }
  });

  it('Test connection over mutual TLS with the client key from the keychain', async () => {
    const sim = track(
      await startPartnerSim({
        tls: { server: certs.server, ca: certs.ca.cert, requireClientCert: true },
        auth: 'bearer:t0ken',
      }),
    );
    const deps = await freshLedger();
    const partnerId = await saveEndpoint(
      deps,
      {
        name: 'Keystone',
        glns: [SELLER_GLN],
        epcisUrl: sim.url,
        verifyUrl: sim.url,
        auth: 'bearer',
        caPem: certs.ca.cert,
        clientCertPem: certs.client.cert,
      },
      { secret: 't0ken', clientKey: certs.client.key },
      'u-1',
    );
    const report = await testConnection(deps, partnerId);
    expect(report.checks.map((c) => [c.name, c.ok])).toEqual([
      ['epcis', true],
      ['capture', true],
      ['verification', true],
    ]);
    expect(report.tls?.subject).toBe('CN=epcis.keystone.test');
    // The private key and the token are in the keychain only.
    const dump = JSON.stringify(deps.ws.db.prepare('SELECT * FROM sync_endpoints').all());
    expect(dump).not.toContain('PRIVATE KEY');
    expect(dump).not.toContain('t0ken');
  });
});
