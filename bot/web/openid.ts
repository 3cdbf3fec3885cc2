import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { JwtTokenExtractor } from 'botframework-connector/lib/auth/jwtTokenExtractor.js';
import type { Logger } from 'pino';

/** The identity provider (OpenID metadata / signing keys) could not be reached in time: answer 503, not 401. */
export class IdentityProviderUnavailable extends Error {
  override name = 'IdentityProviderUnavailable';
}

/** A signing key as botbuilder's token check expects it: PEM, plus the channels it is endorsed for. */
interface SigningKey {
  key: string;
  endorsements?: string[];
}

type Jwk = JsonWebKey & { kid?: string; endorsements?: string[] };

/** How signing keys are fetched and kept. */
export interface KeyFetchOptions {
  /** Longest the metadata + key fetch may take together. */
  timeoutMs: number;
  /** After a failed fetch, how long to answer from the cache (or fail fast) before trying again. */
  retryMs: number;
  logger: Logger;
  /** Keys are refreshed after this long (botbuilder: 24 h). */
  refreshMs?: number;
  /** A token naming an unknown key id triggers a refresh at most this often (forged kids cannot hammer the provider). */
  unknownKidRefreshMs?: number;
  now?: () => number;
}

const HOUR = 3_600_000;

/**
 * Signing keys of one OpenID metadata URL, fetched with a timeout, one fetch at a time, and kept when a
 * refresh fails: botbuilder's own fetcher has no timeout, starts one fetch per request while the cache is cold
 * and throws away its keys on a failed refresh, so a slow or unreachable provider hung or failed every request.
 */
export class SigningKeyCache {
  private keys: Jwk[] | undefined;
  private fetchedAt = -Infinity;
  private failedAt = -Infinity;
  private inflight: Promise<void> | undefined;
  private readonly now: () => number;

  constructor(
    private readonly url: string,
    private readonly options: KeyFetchOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** The key with this id; null when unknown (401); IdentityProviderUnavailable when there are no keys at all (503). */
  async getKey(keyId: string): Promise<SigningKey | null> {
    const age = this.now() - this.fetchedAt;
    const known = this.find(keyId);
    if (age > (this.options.refreshMs ?? 24 * HOUR) || (!known && age > (this.options.unknownKidRefreshMs ?? 5 * 60_000))) {
      try {
        await this.refresh();
      } catch (err) {
        // Known keys keep serving through an outage of the provider; without any, nobody can be verified.
        if (!this.keys) throw err;
      }
    }
    return this.find(keyId);
  }

  private refresh(): Promise<void> {
    if (this.inflight) return this.inflight;
    if (this.now() - this.failedAt < this.options.retryMs) return Promise.reject(new IdentityProviderUnavailable('identity provider unavailable (cooling down)'));
    this.inflight = this.fetchKeys()
      .then((keys) => {
        this.keys = keys;
        this.fetchedAt = this.now();
      })
      .catch((err: unknown) => {
        this.failedAt = this.now();
        // Logged once per failed attempt, and attempts happen at most once per retryMs: once per interval.
        this.options.logger.warn(
          { provider: new URL(this.url).host, cause: describeCause(err), cachedKeys: this.keys?.length ?? 0, retryInMs: this.options.retryMs },
          'identity provider unreachable',
        );
        throw new IdentityProviderUnavailable('identity provider unavailable');
      })
      .finally(() => {
        this.inflight = undefined;
      });
    return this.inflight;
  }

  private async fetchKeys(): Promise<Jwk[]> {
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    const metadata = (await getJson(this.url, signal)) as { jwks_uri?: unknown };
    if (typeof metadata.jwks_uri !== 'string') throw new Error('metadata has no jwks_uri');
    const jwks = (await getJson(metadata.jwks_uri, signal)) as { keys?: unknown };
    if (!Array.isArray(jwks.keys)) throw new Error('key set has no keys');
    return jwks.keys as Jwk[];
  }

  private find(keyId: string): SigningKey | null {
    const jwk = this.keys?.find((k) => k.kid === keyId);
    // Only RSA keys, as botbuilder: the allowed algorithms are RS256/384/512.
    if (!jwk || jwk.kty !== 'RSA' || !jwk.n || !jwk.e) return null;
    const key = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
    return { key, endorsements: jwk.endorsements };
  }
}

async function getJson(url: string, signal: AbortSignal): Promise<unknown> {
  const res = await fetch(url, { signal, headers: { accept: 'application/json' } });
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`HTTP ${res.status}`);
  }
  return res.json();
}

/** A short, non-sensitive description of why a fetch failed (no URLs with tokens, no stacks). */
function describeCause(err: unknown): string {
  const e = err as Error & { cause?: { code?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timeout';
  return String(e?.cause?.code ?? e?.message ?? e).slice(0, 120);
}

/**
 * Makes botbuilder's token checks use bounded, cached key fetching for these metadata URLs. botbuilder keeps
 * one key fetcher per URL in a static cache that every token check consults; entries placed there first are
 * the ones it uses. Fails at start-up if botframework-connector no longer has that cache.
 */
export function useBoundedKeyFetch(urls: string[], options: KeyFetchOptions): void {
  const cache = (JwtTokenExtractor as unknown as { openIdMetadataCache?: unknown }).openIdMetadataCache;
  if (!(cache instanceof Map)) throw new Error('botframework-connector has no JwtTokenExtractor.openIdMetadataCache: cannot bound the signing-key fetch');
  for (const url of new Set(urls)) cache.set(url, new SigningKeyCache(url, options));
}
