import { ActivityTypes, DeliveryModes, type Middleware, type TurnContext } from 'botbuilder';

/**
 * Shows "Elbow is typing…" when a turn is slow. Unlike botbuilder's ShowTypingMiddleware, a channel that
 * refuses the indicator (403, 429, 5xx) never fails the turn, and expectReplies turns (which return all
 * replies at once) get none.
 */
export class TypingIndicator implements Middleware {
  constructor(
    private readonly delayMs = 800,
    private readonly periodMs = 2000,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { activity } = context;
    if (activity.type !== ActivityTypes.Message || activity.deliveryMode === DeliveryModes.ExpectReplies) {
      await next();
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const send = () => {
      if (done) return;
      context
        .sendActivity({ type: ActivityTypes.Typing, relatesTo: activity.relatesTo })
        .catch(() => undefined)
        .finally(() => {
          if (!done) timer = setTimeout(send, this.periodMs);
        });
    };
    timer = setTimeout(send, this.delayMs);
    try {
      await next();
    } finally {
      done = true;
      clearTimeout(timer);
    }
  }
}
