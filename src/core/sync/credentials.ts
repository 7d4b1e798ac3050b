import type { SecretStore } from '../secrets/secret-store';
import { forgetToken, type PartnerLink } from './partner-http';
import type { Endpoint } from './store';

/*
 * A partner's credentials live in the OS keychain, under this installation's scope, and nowhere
 * else: not in the database, a log, a command's arguments or an error message. One secret per
 * partner (the bearer token, the HTTP basic password or the OAuth2 client secret) and, for mutual
 * TLS, the client certificate's private key (its certificate is public and kept in the database).
 * The recovery kit carries them like every other installation secret (installation.secrets).
 */

export const partnerSecretName = (partnerId: number) => `partner-${partnerId}-secret`;
export const partnerKeyName = (partnerId: number) => `partner-${partnerId}-client-key`;

export async function storePartnerCredentials(
  secrets: SecretStore,
  partnerId: number,
  credentials: { secret?: string | null; clientKey?: string | null },
): Promise<void> {
  if (credentials.secret !== undefined) {
    if (credentials.secret === null || credentials.secret === '')
      await secrets.delete(partnerSecretName(partnerId));
    else await secrets.set(partnerSecretName(partnerId), credentials.secret);
  }
  if (credentials.clientKey !== undefined) {
    if (credentials.clientKey === null || credentials.clientKey === '')
      await secrets.delete(partnerKeyName(partnerId));
    else await secrets.set(partnerKeyName(partnerId), credentials.clientKey);
  }
  forgetToken(partnerId);
}

export async function hasPartnerSecret(secrets: SecretStore, partnerId: number): Promise<boolean> {
  return (await secrets.get(partnerSecretName(partnerId))) !== null;
}

/** How to reach a partner: its settings and, from the keychain, its credentials. */
export async function partnerLink(
  secrets: SecretStore,
  endpoint: Endpoint,
  timeoutMs: number,
): Promise<PartnerLink> {
  const secret = endpoint.auth === 'none' ? null : await secrets.get(partnerSecretName(endpoint.partnerId));
  const clientKey =
    endpoint.clientCertPem === null ? null : await secrets.get(partnerKeyName(endpoint.partnerId));
  return {
    partnerId: endpoint.partnerId,
    name: endpoint.partnerName,
    epcisUrl: endpoint.epcisUrl,
    verifyUrl: endpoint.verifyUrl,
    auth: endpoint.auth,
    tokenUrl: endpoint.tokenUrl,
    clientId: endpoint.clientId,
    secret,
    tls: {
      ...(endpoint.caPem !== null ? { ca: endpoint.caPem } : {}),
      ...(endpoint.pinnedSha256 !== null ? { pinnedSha256: endpoint.pinnedSha256 } : {}),
      ...(endpoint.clientCertPem !== null && clientKey !== null
        ? { clientCert: endpoint.clientCertPem, clientKey }
        : {}),
    },
    timeoutMs,
  };
}
