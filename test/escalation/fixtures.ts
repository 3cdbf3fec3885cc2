import type { Ticket, TicketInput } from '../../bot/escalation/ticket.js';

/** PHI the test messages carry; none of it may reach the store, a receiver or a log. */
export const PHI = ['John', 'Smith', '1234567', '3/14/1961', '555-123-4567', '123-45-6789', 'jane.doe@example.org', 'Rose'];

/** A clinician's escalation, with PHI in the transcript the way people really type it. */
export function ticketInput(overrides: Partial<TicketInput> = {}): TicketInput {
  return {
    userId: '29:user-a',
    userName: 'Alex Nurse',
    role: 'nurse',
    urgent: false,
    articlesTried: [{ id: 'patient-list-incomplete', title: 'My patient list is missing patients', feedback: 'not-solved' }],
    transcript: [
      { from: 'user', text: 'pt John Smith MRN 1234567 DOB 3/14/1961 not on my list', at: '2026-03-01T10:00:00.000Z' },
      { from: 'bot', text: 'Here is how to refresh your patient list.', at: '2026-03-01T10:00:01.000Z' },
      { from: 'user', text: 'still missing, call his wife 555-123-4567 or jane.doe@example.org; Mrs. Rose too. ssn 123-45-6789', at: '2026-03-01T10:01:00.000Z' },
    ],
    conversationRef: {
      channelId: 'msteams',
      serviceUrl: 'https://smba.trafficmanager.net/amer/',
      conversation: { id: 'a:conversation-1', isGroup: false, conversationType: 'personal', name: '' },
      user: { id: '29:user-a', name: 'Alex Nurse' },
      bot: { id: '28:elbow', name: 'Elbow' },
    },
    ...overrides,
  };
}

/** The PHI strings found in `text` (expected: none). */
export function phiIn(text: string): string[] {
  return PHI.filter((p) => text.includes(p));
}

/** A stored ticket as the deliverers see it (transcript still carrying PHI: they must redact again). */
export function sampleTicket(): Ticket {
  const input = ticketInput();
  return {
    ...input,
    id: 'ELB-1042',
    key: '7d0c2f3e-9a51-4c1b-8e0f-2b6a4d9c1e77',
    contact: { upn: 'alex.nurse@contoso.org', email: 'alex.nurse@contoso.org', callbackNumber: '617-555-0142' },
    createdAt: new Date('2026-03-01T10:00:00Z'),
    updatedAt: new Date('2026-03-01T10:00:00Z'),
    urgency: 'urgent',
    queue: 'clinical-apps',
    status: 'open',
    conversationRef: input.conversationRef ?? null,
  };
}
