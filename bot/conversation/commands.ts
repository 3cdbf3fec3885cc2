import type { AskerRole } from '../knowledge/article.js';
import { cleanText } from '../knowledge/tokenize.js';

/** A typed command that bypasses search. */
export type Command =
  | { kind: 'change-role'; role?: AskerRole }
  | { kind: 'whats-new' }
  | { kind: 'my-tickets' }
  | { kind: 'ticket-status'; ticketId: string }
  | { kind: 'feedback'; value: 'solved' | 'not-solved' };

const ROLE_WORDS: Array<[RegExp, AskerRole]> = [
  [/\b(?:nurse|rn|lpn|np|nursing)\b/, 'nurse'],
  [/\b(?:physician|doctor|md|do|resident|attending|hospitalist|fellow|intern|provider)\b/, 'physician'],
  [/\b(?:other|tech|therapist|pharmacist|clerk|unit secretary|student)\b/, 'other'],
];

/** Words that make a message naming a ticket number a question about its status. */
const STATUS_WORDS = /\b(?:status|update|updates|news|progress|happening|happened|where|whats up|what about|check|how is|hows|any word)\b/;

/** Recognizes the few commands Elbow handles without searching; null for everything else. */
export function parseCommand(raw: string): Command | null {
  const text = cleanText(raw).toLowerCase().replace(/[!?.,'’]+/g, '').replace(/\s+/g, ' ').trim();
  if (!text || text.length > 80) return null;
  if (/^(?:change|switch|update|set|reset) (?:my )?role\b/.test(text) || /^i(?: a|)m (?:not )?a(?:n)? \w+$/.test(text) || /^my role is\b/.test(text)) {
    if (/\bnot\b/.test(text)) return { kind: 'change-role' };
    const role = ROLE_WORDS.find(([re]) => re.test(text.replace(/^(?:change|switch|update|set|reset) (?:my )?role/, '')))?.[1];
    return { kind: 'change-role', role };
  }
  if (/^(?:whats|what is|anything|show me what s|show me whats) ?new\b|^what changed\b|^whats changed\b|^new articles?$/.test(text)) return { kind: 'whats-new' };
  if (/^(?:(?:show |check |what is |whats )?(?:the )?status of my tickets?|my tickets?|(?:show|list|check) my tickets?|(?:any )?update on my tickets?|ticket status)$/.test(text)) {
    return { kind: 'my-tickets' };
  }
  const ticket = /\belb[\s-]?(\d{1,12})\b/.exec(text);
  if (ticket && (STATUS_WORDS.test(text) || text === ticket[0])) return { kind: 'ticket-status', ticketId: `ELB-${ticket[1]}` };
  if (/^(?:solved|that (?:fixed|solved) it|fixed|it worked|that worked)$/.test(text)) return { kind: 'feedback', value: 'solved' };
  if (/^(?:not solved|didnt work|that didnt work|did not work|still broken|not fixed)$/.test(text)) return { kind: 'feedback', value: 'not-solved' };
  return null;
}
