import { ConnectorFactory, type ConnectorClient } from 'botframework-connector';

type SendOperation = ConnectorClient['sendOperationRequest'];

/**
 * A connector factory whose clients give up on every call after `timeoutMs`, retries included. botbuilder's
 * clients have no timeout: an unreachable serviceUrl held a turn slot for ~10 s and a status callback for ~12 s.
 * The bound is an AbortSignal on each operation, which the Azure pipeline under the client honours end to end.
 */
export function boundedConnectorFactory(inner: ConnectorFactory, timeoutMs: number): ConnectorFactory {
  if (inner instanceof BoundedConnectorFactory) return inner;
  return new BoundedConnectorFactory(inner, timeoutMs);
}

class BoundedConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly inner: ConnectorFactory,
    private readonly timeoutMs: number,
  ) {
    super();
  }

  override async create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
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
