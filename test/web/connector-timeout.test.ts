import net from 'node:net';
import { expect } from 'chai';
import pino from 'pino';
import { ClaimsIdentity } from 'botframework-connector';
import { loadConfig } from '../../bot/config.js';
import { createAuthentication } from '../../bot/web/auth.js';

describe('Bot Connector clients: shared across turns, bounded on every call', () => {
  // A service URL that accepts connections and never answers: only the timeout can end a call.
  let silent: net.Server;
  let serviceUrl: string;
  const sockets = new Set<net.Socket>();
  before(async () => {
    silent = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    serviceUrl = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}/`;
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  const auth = () => createAuthentication(loadConfig({ CONNECTOR_TIMEOUT_MS: '300', LOG_LEVEL: 'silent' }), pino({ level: 'silent' }));
  const anonymous = new ClaimsIdentity([], true);

  it('gives every turn (a new connector factory each) the same client for one service URL, another for another', async () => {
    const authentication = auth();
    const first = await authentication.createConnectorFactory(anonymous).create(serviceUrl);
    const second = await authentication.createConnectorFactory(anonymous).create(serviceUrl);
    const other = await authentication.createConnectorFactory(anonymous).create('https://smba.trafficmanager.net/amer/');
    expect(second).to.equal(first);
    expect(other).to.not.equal(first);
    // Separate authentications (separate apps) do not share clients.
    expect(await auth().createConnectorFactory(anonymous).create(serviceUrl)).to.not.equal(first);
  });

  it('still gives up on each call of a shared client after CONNECTOR_TIMEOUT_MS', async () => {
    const authentication = auth();
    for (let turn = 0; turn < 2; turn++) {
      const client = await authentication.createConnectorFactory(anonymous).create(serviceUrl);
      const started = Date.now();
      const outcome = await client.conversations
        .sendToConversation('a:conversation', { type: 'message', text: 'hello' })
        .then(() => 'answered', (err: Error) => err.name);
      expect(outcome).to.equal('AbortError');
      expect(Date.now() - started).to.be.below(3000);
    }
  });
});
