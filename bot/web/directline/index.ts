import type { LoadShedder } from '../shed.js';
import type { ActivityHandler, CloudAdapter } from 'botbuilder';
import type { ConnectorFactory } from 'botframework-connector';
import type { Server } from 'restify';
import type { AppContext } from '../../context.js';
import { serveAsset } from '../static.js';
import { DirectLineConnectorFactory, directLineServiceUrl } from './connector.js';
import { DirectLineStore } from './conversations.js';
import { registerDirectLineRoutes } from './routes.js';
import { attachStream } from './stream.js';
import { TokenIssuer } from './tokens.js';
import { createTurnRunner } from './turn.js';

/**
 * Elbow's own Direct Line 3.0 channel: conversation store, tokens, the adapter hook for replies, the REST API,
 * the WebSocket stream and /embed.js. Created before the adapter (which needs routeConnectors), attached after.
 */
export class DirectLine {
  readonly store: DirectLineStore;
  /** Undefined when DIRECT_LINE_SECRET is not set: the API is off, /embed.js is still served. */
  readonly tokens?: TokenIssuer;
  readonly serviceUrl: string;
  private closeStream?: () => void;

  constructor(private readonly ctx: AppContext) {
    const { directLineSecrets, DIRECT_LINE_TOKEN_TTL_SECONDS, publicBaseUrl } = ctx.config;
    // Keep a conversation at least as long as its refreshed tokens are likely to be used.
    this.store = new DirectLineStore({ now: ctx.now, idleMs: Math.max(DIRECT_LINE_TOKEN_TTL_SECONDS * 2000, 3_600_000) });
    this.serviceUrl = directLineServiceUrl(publicBaseUrl);
    if (directLineSecrets.length > 0) this.tokens = new TokenIssuer(directLineSecrets, DIRECT_LINE_TOKEN_TTL_SECONDS, ctx.now);
  }

  /** For createAuthentication: routes Direct Line conversations (proactive messages too) to the store. */
  readonly routeConnectors = (factory: ConnectorFactory): ConnectorFactory => new DirectLineConnectorFactory(this.store, this.serviceUrl, factory);

  /** Registers /embed.js, and the Direct Line API and stream when a secret is set. */
  attach(server: Server, { adapter, bot, shedder }: { adapter: CloudAdapter; bot: ActivityHandler; shedder?: LoadShedder }): void {
    const { ctx, store, tokens, serviceUrl } = this;
    server.get('/embed.js', serveAsset('embed.js'));
    if (!tokens) return;
    const runTurn = createTurnRunner({ ctx, adapter, bot, store, serviceUrl });
    const admit = shedder ? () => shedder.admit() : undefined;
    registerDirectLineRoutes(server, { ctx, store, tokens, runTurn, serviceUrl, admit });
    this.closeStream = attachStream(server.server, { ctx, store, tokens });
  }

  /** Closes the open streams (before the HTTP server closes, which would otherwise wait for them). */
  close(): void {
    this.closeStream?.();
  }
}
