import { CloudAdapter, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import { validateAndFixActivity } from 'botbuilder/lib/activityValidator.js';
import type { AuthenticateRequestResult, BotFrameworkAuthentication } from 'botframework-connector';

/**
 * CloudAdapter with its two halves apart: `authenticate` checks the token, `run` runs the turn. Its `process`
 * does both at once, answers any failure with `err.message` (a 500 naming the unreachable provider, a 401 echoing
 * the token's app id) and writes the stack to stderr; split, the HTTP layer checks the token before a turn slot is
 * taken and decides itself what the client and the log are told.
 */
export class ElbowAdapter extends CloudAdapter {
  constructor(botFrameworkAuthentication: BotFrameworkAuthentication) {
    super(botFrameworkAuthentication);
  }

  /** Checks the request's token: AuthenticationError (401) or IdentityProviderUnavailable (503) when it cannot. */
  authenticate(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.botFrameworkAuthentication.authenticateRequest(activity, authHeader);
  }

  /** Runs the turn of an authenticated request; resolves with the invoke / expectReplies response, if any. */
  run(auth: AuthenticateRequestResult, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(auth, activity, logic);
  }
}

/** The activity as botbuilder's own request handling prepares it (timestamps as dates, raw strings kept). */
export function toActivity(body: Record<string, unknown>): Activity {
  return validateAndFixActivity(body as unknown as Activity);
}
