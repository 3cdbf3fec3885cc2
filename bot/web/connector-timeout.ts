import { ConnectorFactory, type ConnectorClient } from 'botframework-connector';

type SendOperation = ConnectorClient['sendOperationRequest'];

/**
 * A connector factory whose clients give up on every call after `timeoutMs`, retries included. botbuilder's
 * clients have no timeout: an unreachable serviceUrl held a turn slot for ~10 s and a status callback for ~12 s.
 * The bound is an AbortSignal on each operation, which the Azure pipeline under the client honours end to end.
 */
export function boundedConnectorFactory(inner: ConnectorFactory, timeoutMs: number, cache?: ConnectorClientCache): ConnectorFactory {
  if (inner instanceof BoundedConnectorFactory) return inner;
  return new BoundedConnectorFactory(inner, timeoutMs, cache);
}

/** How many connector clients a cache keeps (one per service URL and bot identity; Teams uses a handful). */
const CACHED_CLIENTS = 64;

/**
 * Connector clients by everything that makes one differ (app id, OAuth scope, login endpoint, service URL,
 * audience). botbuilder's CloudAdapter builds a new ConnectorClient — an Azure HTTP pipeline — for every turn,
 * ~5 % of a turn's CPU; a client holds no per-turn state (its credentials cache and renew their own token), so
 * one per key serves every turn, as the older BotFrameworkAdapter did. Least recently used keys go first.
 */
export class ConnectorClientCache {
  private readonly clients = new Map<string, Promise<ConnectorClient>>();

  /** The cached client for `key`, or the one `make` builds (a failed build is not kept). */
  get(key: string, make: () => Promise<ConnectorClient>): Promise<ConnectorClient> {
    let client = this.clients.get(key);
    if (client) this.clients.delete(key);
    else {
      client = make();
      client.catch(() => this.clients.get(key) === client && this.clients.delete(key));
    }
    this.clients.set(key, client);
    if (this.clients.size > CACHED_CLIENTS) this.clients.delete(this.clients.keys().next().value!);
    return client;
  }
}

/** The identity fields of botframework-connector's ConnectorFactoryImpl (not exported: recognised by its fields). */
interface FactoryIdentity {
  appId?: string;
  toChannelFromBotOAuthScope?: string;
  loginEndpoint?: string;
  validateAuthority?: boolean;
}

function cacheKey(inner: ConnectorFactory, serviceUrl: string, audience: string | undefined): string | undefined {
  // Any other factory (a test's, Direct Line's router) may hand out clients per call: never cached.
  if (!('credentialFactory' in inner && 'appId' in inner && 'loginEndpoint' in inner)) return undefined;
  const id = inner as unknown as FactoryIdentity;
  return JSON.stringify([id.appId ?? null, id.toChannelFromBotOAuthScope ?? null, id.loginEndpoint ?? null, id.validateAuthority ?? null, serviceUrl, audience ?? null]);
}

class BoundedConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly inner: ConnectorFactory,
    private readonly timeoutMs: number,
    private readonly cache?: ConnectorClientCache,
  ) {
    super();
  }

  override create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    const key = this.cache && cacheKey(this.inner, serviceUrl, audience);
    return key ? this.cache!.get(key, () => this.bounded(serviceUrl, audience)) : this.bounded(serviceUrl, audience);
  }

  private async bounded(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    const client = await this.inner.create(serviceUrl, audience);
    const send: SendOperation = client.sendOperationRequest.bind(client);
    client.sendOperationRequest = ((args, spec, callback) => {
      const options = (args.options ?? {}) as { abortSignal?: AbortSignal };
      const abortSignal = options.abortSignal ? AbortSignal.any([options.abortSignal, AbortSignal.timeout(this.timeoutMs)]) : AbortSignal.timeout(this.timeoutMs);
      return send({ ...args, options: { ...options, abortSignal } }, spec, callback);
    }) as SendOperation;
    return client;
  }
}
