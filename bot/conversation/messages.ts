import type { SmalltalkKind } from '../knowledge/intents.js';

/** Everything Elbow says in words, in one place, so the voice stays the same. */
export const MESSAGES = {
  greeting:
    "Hi, I'm Elbow, EHR help at your elbow. Ask me how to do something in the EHR, or why it is behaving oddly " +
    '("patient list missing patients", "scanner won\'t read the wristband"). I answer from our help articles and can ' +
    'hand you to the help desk with this conversation attached. I never give clinical advice.',
  roleSaved: (role: string) =>
    role === 'other'
      ? 'Thanks, noted. Ask me anything about the EHR.'
      : `Thanks, I'll show the ${role} steps first. Ask me anything about the EHR.`,
  roleAsk: 'Which role should I show steps for?',
  declineAtRisk: 'If your patient is getting worse right now, call the rapid response team or the covering provider now.',
  decline:
    "I can't help with clinical questions like doses, results or treatment decisions: I only know how the EHR works. " +
    'Please check with pharmacy, the covering provider, or your clinical references. If the EHR is getting in the way of ' +
    'care, tell me what it is doing and I will help with that.',
  noMatch: (examples: string[]) =>
    "Sorry, I couldn't find an article for that. Could you say it another way, with the screen or device you are using? " +
    `For example: ${examples.map((e) => `"${e}"`).join(', ')}.`,
  secondMiss: "I still can't find it. I can hand this to a person at the help desk with our conversation attached.",
  notSolved: "Sorry that didn't fix it. I can pass this to the help desk with what we've tried, so you don't have to explain it again.",
  /** Plain-text fallback of the role card, for channels without cards. */
  roleFallback: (lead?: string) => `${lead ? `${lead}\n\n` : ''}${MESSAGES.roleAsk} Reply "I'm a nurse", "I'm a physician" or "other".`,
  clarifyFallback: (titles: string[]) => `Did you mean: ${titles.map((t, i) => `${i + 1}. ${t}`).join('; ')}? Reply with the words of the one you mean.`,
  ticketList: (lines: string[]) => `Your help-desk tickets:\n\n${lines.join('\n')}`,
  ticketNotFound: (id: string) => `I can't find ticket ${id}.`,
  ticketUpdateFailed: (id: string) => `I couldn't update ${id} just now. Please try again.`,
  /** Transcript notes: what the help desk reads of the bot's side. */
  noteOffered: (titles: string[]) => `Offered: ${titles.join(' | ')}`,
  noteAnswered: (title: string) => `Answered with article: ${title}`,
  solved: 'Glad that worked. Thanks for letting me know.',
  clarifyNone: 'No problem. Tell me a bit more (what screen, what you expected, what happened) and I will look again.',
  ticketCreated: (id: string, urgent: boolean, phone: string) =>
    `A person from the help desk will contact you — ticket ${id}.` +
    (urgent
      ? ` I marked it **urgent**. If a patient is waiting, also call the help desk at ${phone} now and mention ${id}.`
      : ` If it can't wait, call ${phone} and mention ${id}.`),
  ticketAdded: (id: string, phone: string) =>
    `You already have ticket ${id} open for this, so I added what you said to it: the help desk sees one ticket with everything. ` +
    `If it can't wait, call ${phone} and mention ${id}.`,
  ticketNotPassedOn: (id: string, phone: string, hours: string) =>
    `I can't pass this on to the help desk: Elbow isn't connected to it here, so nobody would see a request. ` +
    `Please call the help desk at ${phone} (${hours}). I noted this conversation as ${id} in case they ask.`,
  ticketStatus: (id: string, status: string, urgent: boolean, opened: string, updated: string, note?: string) =>
    `${id}: ${status.replace('-', ' ')}${urgent ? ' (urgent)' : ''}, opened ${opened}, last change ${updated}.` +
    (note ? ` Help desk note: ${note}` : ''),
  ticketUnknown: (id: string) =>
    `I can't find a ticket ${id} of yours. Say "my tickets" to see the ones Elbow opened for you.`,
  helpDeskOnly: "That button is for the help desk's support channel, so I can't act on it here.",
  taken: (agent: string, id: string, told: boolean) =>
    `${agent || 'You'} took ${id}. ` +
    (told
      ? 'The clinician has been told someone is on it.'
      : "I could not reach the clinician to tell them, so please contact them directly (see the ticket's contact details); they will also see it under \"my tickets\"."),
  voteCounted: 'Thanks, I already have your feedback on that answer.',
  voteUnknown: "I can't find that answer any more, so I didn't record the feedback. Ask your question again and I'll show the current article.",
  ticketFailed: (phone: string, hours: string) =>
    `I couldn't create a ticket just now. Please call the help desk at ${phone} (${hours}); they will help you right away.`,
  urgentNoArticle: (phone: string) =>
    `This sounds urgent. Call the help desk at ${phone} now if a patient is waiting. I'm also sending this to a person with priority.`,
  tooLong: 'That was a long message, so I searched its beginning. If I missed the point, send the key part on its own.',
  rateLimited: "You're sending messages faster than I can keep up with. Give me a few seconds and try again.",
  turnError: (phone: string) =>
    `Sorry, something went wrong on my side. Please try again, or call the help desk at ${phone} if it can't wait.`,
  emptyText: 'I only understand text for now. Type your question, for example "why is my patient list incomplete".',
  whatsNewNone: 'Nothing new for your role since your last visit.',
  whatsNewHeading: (days: number) => `Welcome back! Since your last visit (${days} days ago), these articles were added or updated:`,
  whatsNewAsked: 'Recently added or updated articles for your role:',
  noTickets: "You don't have any help-desk tickets from Elbow.",
  unknownArticle: "I couldn't open that article any more; it may have been retired. Try asking your question again.",
} as const;

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** A time as people at the help desk read it, e.g. "20 Nov 2026, 09:00 CET" (HELP_DESK_TIME_ZONE, default UTC). */
export function localTime(at: Date, timeZone: string): string {
  let format = timeFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' });
    timeFormats.set(timeZone, format);
  }
  return format.format(at);
}

/** Example questions offered after a miss. */
export const EXAMPLE_QUESTIONS = ['why is my patient list incomplete', 'the scanner won\'t read the wristband', 'reset my password'];

/** Replies to small talk. */
export const SMALLTALK_REPLIES: Record<SmalltalkKind, string> = {
  greeting: 'Hi! What can I help you with in the EHR?',
  thanks: "You're welcome. I'm here whenever the EHR gets in the way.",
  bye: 'Take care. I am here whenever you need EHR help.',
  about: MESSAGES.greeting,
  howareyou: "I'm doing well, thanks. What's the EHR doing to you today?",
  ack: 'OK. Anything else I can help with in the EHR?',
  vent: 'Hang in there. If the EHR is making the shift any harder, tell me what it is doing.',
};
