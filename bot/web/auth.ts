import { CallerIdConstants, ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory, type Activity } from 'botbuilder';
import {
  AuthenticationConstants,
  AuthenticationError,
  BotFrameworkAuthentication,
  type AuthenticateRequestResult,
  type ClaimsIdentity,
  type ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { boundedConnectorFactory } from './connector-timeout.js';
import { IdentityProviderUnavailable, useBoundedKeyFetch } from './openid.js';

/** jsonwebtoken's error names: a bad, expired or not-yet-valid token. */
const TOKEN_ERRORS = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);

function asAuthenticationError(err: unknown): unknown {
  const e = err as Error;
  return !(err instanceof AuthenticationError) && TOKEN_ERRORS.has(e?.name) ? new AuthenticationError(`Unauthorized: ${e.message}`, 401) : err;
}

/** Bounds how long a token check may take in all (the key fetch has its own, shorter timeout). */
function bounded<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new IdentityProviderUnavailable(`token check took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise.catch((err) => Promise.reject(asAuthenticationError(err))), timeout]).finally(() => clearTimeout(timer));
}

/** Timeouts of the calls authentication and the connector make. */
export interface AuthTimeouts {
  /** Whole token check, key fetch included. */
  authMs: number;
  /** Each outbound Bot Connector call (replies, typing, proactive messages). */
  connectorMs: number;
}

/**
 * Bot Framework authentication that answers every bad token with 401 and never hangs. botbuilder lets
 * jsonwebtoken's own errors (a wrong signature, a disallowed algorithm) escape as plain errors, which CloudAdapter
 * turns into 500; a provider that cannot be reached in time becomes IdentityProviderUnavailable (503); and
 * every Bot Connector client it hands out has a timeout.
 */
export class StrictAuthentication extends BotFrameworkAuthentication {
  constructor(
    private readonly inner: BotFrameworkAuthentication,
    private readonly timeouts: AuthTimeouts,
    /** Wraps the connector factory, e.g. to route Direct Line conversations to their in-process store. */
    private readonly routeConnectors: (factory: ConnectorFactory) => ConnectorFactory = (factory) => factory,
  ) {
    super();
  }
  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const result = await bounded(this.inner.authenticateRequest(activity, authHeader), this.timeouts.authMs);
    if (result.connectorFactory) result.connectorFactory = boundedConnectorFactory(result.connectorFactory, this.timeouts.connectorMs);
    return result;
  }
  override async authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    return bounded(this.inner.authenticateStreamingRequest(authHeader, channelIdHeader), this.timeouts.authMs);
  }
  override async authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return bounded(this.inner.authenticateChannelRequest(authHeader), this.timeouts.authMs);
  }
  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.routeConnectors(boundedConnectorFactory(this.inner.createConnectorFactory(claimsIdentity), this.timeouts.connectorMs));
  }
  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.inner.createUserTokenClient(claimsIdentity);
  }
  override createBotFrameworkClient() {
    return this.inner.createBotFrameworkClient();
  }
  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }
}

/**
 * Bot Framework authentication from the settings. When any endpoint override is set, botbuilder treats every
 * endpoint as custom, so the ones not overridden get the public cloud's values here instead of going blank.
 * Signing keys are fetched with `IDENTITY_TIMEOUT_MS` and kept through an outage of the provider; `now` is the
 * clock of their refresh schedule.
 */
export function createAuthentication(
  config: Config,
  logger: Logger,
  now: () => number = Date.now,
  routeConnectors?: (factory: ConnectorFactory) => ConnectorFactory,
): BotFrameworkAuthentication {
  useBoundedKeyFetch(
    [
      config.ToBotFromChannelOpenIdMetadataUrl ?? AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
      config.ToBotFromEmulatorOpenIdMetadataUrl ?? AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    ],
    { timeoutMs: config.IDENTITY_TIMEOUT_MS, retryMs: IDENTITY_RETRY_MS, logger, now },
  );
  const credentials = new ConfigurationServiceClientCredentialFactory({
    MicrosoftAppId: config.MicrosoftAppId,
    MicrosoftAppPassword: config.MicrosoftAppPassword,
    MicrosoftAppType: config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId,
  });
  const custom = config.ToBotFromChannelOpenIdMetadataUrl || config.ToBotFromChannelTokenIssuer || config.ToBotFromEmulatorOpenIdMetadataUrl;
  const endpoints = custom
    ? {
        ValidateAuthority: true,
        ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
        ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
        OAuthUrl: AuthenticationConstants.OAuthUrl,
        CallerId: CallerIdConstants.PublicAzureChannel,
        ToBotFromChannelOpenIdMetadataUrl: config.ToBotFromChannelOpenIdMetadataUrl ?? AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
        ToBotFromChannelTokenIssuer: config.ToBotFromChannelTokenIssuer ?? AuthenticationConstants.ToBotFromChannelTokenIssuer,
        ToBotFromEmulatorOpenIdMetadataUrl: config.ToBotFromEmulatorOpenIdMetadataUrl ?? AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
      }
    : {};
  const auth = new ConfigurationBotFrameworkAuthentication(
    { MicrosoftAppId: config.MicrosoftAppId, MicrosoftAppTenantId: config.MicrosoftAppTenantId, ...endpoints },
    credentials,
  );
  return new StrictAuthentication(auth, { authMs: config.IDENTITY_TIMEOUT_MS + AUTH_MARGIN_MS, connectorMs: config.CONNECTOR_TIMEOUT_MS }, routeConnectors);
}

/** After a failed key fetch, how long requests are answered from the cache (or 503) before the provider is tried again. */
export const IDENTITY_RETRY_MS = 10_000;
/** Time a token check may take beyond the key fetch (verifying is local and fast). */
const AUTH_MARGIN_MS = 1000;
