import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

/**
 * A stand-in for the Bot Framework token service, for tests without internet: an OpenID metadata document and
 * a JWKS on 127.0.0.1, and tokens signed with locally generated RSA keys. Point Elbow at it with
 * `ToBotFromChannelOpenIdMetadataUrl` / `ToBotFromChannelTokenIssuer` (see `authEnv`).
 */
export interface LocalIssuer {
  /** http://127.0.0.1:port/v1/.well-known/openidconfiguration */
  metadataUrl: string;
  /** The `iss` Elbow is told to trust. */
  issuer: string;
  /** Key id of the published signing key. */
  kid: string;
  /** Number of metadata + JWKS fetches served (botbuilder caches keys; this proves it asked us, not the internet). */
  fetches(): number;
  /** A token as a Bot Framework channel would send it; claims override the valid defaults. */
  token(claims: ChannelClaims, options?: TokenOptions): Promise<string>;
  close(): Promise<void>;
}

/** Claims of a channel-to-bot token. */
export interface ChannelClaims {
  /** The bot's app id (aud). */
  aud: string;
  /** Must equal the activity's serviceUrl. */
  serviceurl?: string;
  iss?: string;
  /** Extra or replacement claims. */
  [claim: string]: unknown;
}

/** How to sign a token: expired, not yet valid, signed with a key nobody published, or under another kid. */
export interface TokenOptions {
  /** Seconds from now; negative = already expired. Default 3600. */
  expiresIn?: number;
  /** Sign with a freshly generated key that is not in the JWKS (but claim the published kid). */
  foreignKey?: boolean;
  kid?: string;
  alg?: 'RS256' | 'RS384' | 'RS512' | 'HS256';
}

/** Starts a local OpenID issuer whose key is endorsed for the given channels (default: msteams, webchat). */
export async function startLocalIssuer(endorsements: string[] = ['msteams', 'webchat', 'directline']): Promise<LocalIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `elbow-test-${randomUUID().slice(0, 8)}`;
  const jwk: JWK & { endorsements: string[] } = { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256', endorsements };
  let fetches = 0;

  const server = http.createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    fetches++;
    res.setHeader('content-type', 'application/json');
    if (req.url === '/v1/.well-known/openidconfiguration') {
      res.end(JSON.stringify({ issuer: issuer(), jwks_uri: `${base}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
    } else if (req.url === '/v1/.well-known/keys') {
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = () => `https://issuer.elbow.test:${port}`;

  const token = async (claims: ChannelClaims, options: TokenOptions = {}): Promise<string> => {
    const alg = options.alg ?? 'RS256';
    let key: CryptoKey | Uint8Array = privateKey;
    if (alg === 'HS256') key = new TextEncoder().encode('a-shared-secret-that-is-long-enough-for-hs256');
    else if (options.foreignKey) key = (await generateKeyPair(alg, { extractable: true })).privateKey;
    const nowSec = Math.floor(Date.now() / 1000);
    const expiresIn = options.expiresIn ?? 3600;
    const { aud, ...rest } = claims;
    return new SignJWT({ iss: issuer(), nbf: nowSec - 60, iat: nowSec - 60, exp: nowSec + expiresIn, ...rest })
      .setProtectedHeader({ alg, kid: options.kid ?? kid, typ: 'JWT' })
      .setAudience(aud)
      .sign(key);
  };

  return {
    metadataUrl: `http://127.0.0.1:${port}/v1/.well-known/openidconfiguration`,
    issuer: issuer(),
    kid,
    fetches: () => fetches,
    token,
    close: () => closeServer(server),
  };
}

/** Environment that makes Elbow trust the local issuer (all three token endpoints point at it). */
export function authEnv(issuer: LocalIssuer, appId: string): Record<string, string> {
  return {
    MicrosoftAppId: appId,
    MicrosoftAppPassword: 'test-only-not-a-secret',
    ToBotFromChannelOpenIdMetadataUrl: issuer.metadataUrl,
    ToBotFromChannelTokenIssuer: issuer.issuer,
    ToBotFromEmulatorOpenIdMetadataUrl: issuer.metadataUrl,
  };
}

function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
