/**
 * The Adaptive Card envelope every part of Elbow sends (answers, ticket cards, alerts). It sits at the bottom so the
 * conversation, escalation and notices parts each build their own cards without importing one another.
 */

/** An Adaptive Card (schema 1.5) as plain JSON. */
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: CardElement[];
  actions?: CardAction[];
  msteams?: { width: 'Full' };
}
export type CardElement = Record<string, unknown> & { type: string };
export type CardAction = Record<string, unknown> & { type: string; title: string };

const SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

/** An Adaptive Card 1.5 envelope (schema, version, full width in Teams) around a body and actions. */
export function adaptiveCard(body: CardElement[], actions: CardAction[] = []): AdaptiveCard {
  return { type: 'AdaptiveCard', $schema: SCHEMA, version: '1.5', body, ...(actions.length ? { actions } : {}), msteams: { width: 'Full' } };
}
