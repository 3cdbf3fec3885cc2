/**
 * Adaptive Card 1.5 validation for tests. Two independent checks, both must pass:
 * 1. a structural 1.5 schema (zod, ./schemas/adaptive-card-1.5.ts): known types, required properties, types, enums,
 *    version exactly "1.5" — no installed npm package ships the official adaptive-card.json to validate against;
 * 2. Microsoft's `adaptivecards` renderer library: it parses the card (no DOM needed) for a 1.5 host and reports
 *    parse and validation events (unknown types, invalid values, missing required parts, duplicate ids, unsupported
 *    version...). Every event except hints counts as an error.
 */
import * as AC from 'adaptivecards';
import { expect } from 'chai';
import type { z } from 'zod';
import { ACTIONS, CARD, ELEMENTS, PARTS } from './schemas/adaptive-card-1.5.js';

type Json = Record<string, unknown>;
type Walker = (value: unknown, path: string, errors: string[]) => void;

/** Teams renders Adaptive Cards up to 1.5; our cards declare exactly that. */
export const CARD_VERSION = '1.5';

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function joinPath(path: string, key: PropertyKey): string {
  return typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${String(key)}` : String(key);
}

function check(schema: z.ZodType, value: unknown, path: string, errors: string[]): void {
  const result = schema.safeParse(value);
  if (result.success) return;
  for (const issue of result.error.issues) {
    const where = issue.path.reduce<string>(joinPath, path) || 'card';
    const missing = issue.code === 'invalid_type' && /received undefined$/.test(issue.message);
    errors.push(`${where}: ${missing ? `is required (${issue.expected})` : issue.message}`);
  }
}

/** Walks each item of an array property; a wrong type there was already reported by the zod check. */
function each(walk: Walker): Walker {
  return (value, path, errors) => {
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${path}[${i}]`, errors));
  };
}

/** A typed node (element, action): unknown types are errors, known ones get their schema and children checked. */
function typedNode(kind: string, schemas: Record<string, z.ZodType>, children: (type: string) => Array<[string, Walker]>, allowed?: (type: string) => boolean): Walker {
  const walk: Walker = (value, path, errors) => {
    if (!isObject(value)) return void errors.push(`${path}: must be an ${kind} object`);
    const type = value.type;
    if (typeof type !== 'string') return void errors.push(`${path}.type: is required (string)`);
    const schema = schemas[type];
    if (!schema) return void errors.push(`${path}: unknown ${kind} type "${type}" in Adaptive Cards ${CARD_VERSION}`);
    if (allowed && !allowed(type)) return void errors.push(`${path}: ${type} is not allowed here`);
    check(schema, value, path, errors);
    for (const [key, child] of children(type)) if (value[key] !== undefined) child(value[key], joinPath(path, key), errors);
    if (value.fallback !== undefined && value.fallback !== 'drop') walk(value.fallback, joinPath(path, 'fallback'), errors);
  };
  return walk;
}

/** A part that only lives inside one parent (Column, TableRow, TableCell, TextRun). */
function part(name: keyof typeof PARTS, children: Array<[string, Walker]> = []): Walker {
  return (value, path, errors) => {
    check(PARTS[name], value, path, errors);
    if (isObject(value)) for (const [key, child] of children) if (value[key] !== undefined) child(value[key], joinPath(path, key), errors);
  };
}

const action: Walker = (value, path, errors) => anyAction(value, path, errors);
const selectAction: Walker = (value, path, errors) => selectableAction(value, path, errors);
const element: Walker = (value, path, errors) => anyElement(value, path, errors);
const nestedCard: Walker = (value, path, errors) => walkCard(value, path, false, errors);

const ELEMENT_CHILDREN: Record<string, Array<[string, Walker]>> = {
  Container: [['items', each(element)], ['selectAction', selectAction]],
  ColumnSet: [['columns', each(part('Column', [['items', each(element)], ['selectAction', selectAction]]))], ['selectAction', selectAction]],
  ImageSet: [['images', each(typedNode('element', ELEMENTS, () => [], (type) => type === 'Image'))]],
  ActionSet: [['actions', each(action)]],
  RichTextBlock: [['inlines', each((value, path, errors) => (typeof value === 'string' ? undefined : part('TextRun', [['selectAction', selectAction]])(value, path, errors)))]],
  Table: [['rows', each(part('TableRow', [['cells', each(part('TableCell', [['items', each(element)], ['selectAction', selectAction]]))]]))]],
  Image: [['selectAction', selectAction]],
  'Input.Text': [['inlineAction', selectAction]],
};

const anyElement = typedNode('element', ELEMENTS, (type) => ELEMENT_CHILDREN[type] ?? []);
const actionChildren = (type: string): Array<[string, Walker]> => (type === 'Action.ShowCard' ? [['card', nestedCard]] : []);
const anyAction = typedNode('action', ACTIONS, actionChildren);
// selectAction and inlineAction may be any action but Action.ShowCard.
const selectableAction = typedNode('action', ACTIONS, actionChildren, (type) => type !== 'Action.ShowCard');

function walkCard(card: unknown, path: string, outermost: boolean, errors: string[]): void {
  if (!isObject(card)) return void errors.push(`${path || 'card'}: must be an AdaptiveCard object`);
  check(CARD, card, path, errors);
  if (outermost && card.version !== CARD_VERSION) errors.push(`version: must be "${CARD_VERSION}", got ${JSON.stringify(card.version)}`);
  if (outermost && !Array.isArray(card.body)) errors.push('body: is required (array)');
  each(element)(card.body, joinPath(path, 'body'), errors);
  each(action)(card.actions, joinPath(path, 'actions'), errors);
  if (card.selectAction !== undefined) selectAction(card.selectAction, joinPath(path, 'selectAction'), errors);
}

/** What Microsoft's renderer library reports when it parses and validates the card for a 1.5 host. */
function rendererErrors(card: Json): string[] {
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const parsed = new AC.AdaptiveCard();
  try {
    parsed.parse(card, context);
  } catch (err) {
    return [`adaptivecards: parse failed: ${(err as Error).message}`];
  }
  const events = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i));
  events.push(...parsed.validateProperties().validationEvents);
  return events.filter((e) => e.event !== AC.ValidationEvent.Hint).map((e) => `adaptivecards: ${AC.ValidationEvent[e.event]}: ${e.message}`);
}

/** Problems that make `card` an invalid Adaptive Card 1.5 for Teams; empty when it is valid. */
export function validateCard(card: unknown): string[] {
  const errors: string[] = [];
  walkCard(card, '', true, errors);
  return isObject(card) ? [...errors, ...rendererErrors(card)] : errors;
}

/** Chai assertion: fails listing every problem when `card` is not a valid Adaptive Card 1.5. */
export function assertValidCard(card: unknown, what = 'card'): void {
  const errors = validateCard(card);
  expect(errors, `${what} is not a valid Adaptive Card ${CARD_VERSION}:\n  ${errors.join('\n  ')}`).to.deep.equal([]);
}
