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
import type { Config } from '../config.js';

/** jsonwebtoken's error names: a bad, expired or not-yet-valid token. */
const TOKEN_ERRORS = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);

function asAuthenticationError(err: unknown): unknown {
  const e = err as Error;
  return !(err instanceof AuthenticationError) && TOKEN_ERRORS.has(e?.name) ? new AuthenticationError(`Unauthorized: ${e.message}`, 401) : err;
}

/**
 * Bot Framework authentication that answers every bad token with 401. botbuilder lets jsonwebtoken's own errors
 * (a wrong signature, a disallowed algorithm) escape as plain errors, which CloudAdapter turns into 500.
 */
export class StrictAuthentication extends BotFrameworkAuthentication {
  constructor(
    private readonly inner: BotFrameworkAuthentication,
    /** Wraps the connector factory, e.g. to route Direct Line conversations to their in-process store. */
    private readonly routeConnectors: (factory: ConnectorFactory) => ConnectorFactory = (factory) => factory,
  ) {
    super();
  }
  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.inner.authenticateRequest(activity, authHeader).catch((err) => Promise.reject(asAuthenticationError(err)));
  }
  override async authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    return this.inner.authenticateStreamingRequest(authHeader, channelIdHeader).catch((err) => Promise.reject(asAuthenticationError(err)));
  }
  override async authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.inner.authenticateChannelRequest(authHeader).catch((err) => Promise.reject(asAuthenticationError(err)));
  }
  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.routeConnectors(this.inner.createConnectorFactory(claimsIdentity));
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
 */
export function createAuthentication(config: Config, routeConnectors?: (factory: ConnectorFactory) => ConnectorFactory): BotFrameworkAuthentication {
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
  return new StrictAuthentication(auth, routeConnectors);
}
