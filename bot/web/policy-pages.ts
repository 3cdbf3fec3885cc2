import type { Request, Response, Server } from 'restify';
import type { AppContext } from '../context.js';
import { html, page, sendHtml } from './html.js';

/** The privacy statement and terms the Teams app manifest links to (/privacy, /terms). */
export function registerPolicyPages(server: Server, ctx: AppContext): void {
  const { HELP_DESK_PHONE: phone, HELP_DESK_HOURS: hours } = ctx.config;
  server.get('/privacy', async (_req: Request, res: Response) => {
    sendHtml(res, 200, page({
      title: 'Privacy',
      body: html`<article class="article"><h1>How Elbow handles your data</h1>
<p>Elbow answers questions about using the EHR. It is not part of the medical record and must not be used to store patient information.</p>
<ul>
<li><strong>What it keeps about you:</strong> your role (nurse, physician, other), the time of your last visit, and where to send you updates about your own help-desk tickets.</li>
<li><strong>Usage reports:</strong> each question is stored for the knowledge team only after patient identifiers (names, record numbers, dates of birth, phone numbers, SSNs, emails) are removed, with a one-way code instead of your user id.</li>
<li><strong>Tickets:</strong> when you ask for a person, the help desk receives your name, role, the articles you tried and the conversation, with patient identifiers removed first.</li>
<li><strong>Logs:</strong> technical logs never contain message text or patient identifiers.</li>
</ul>
<p>Questions about this? Call the help desk at ${phone} (${hours}).</p></article>`,
    }));
  });
  server.get('/terms', async (_req: Request, res: Response) => {
    sendHtml(res, 200, page({
      title: 'Terms of use',
      body: html`<article class="article"><h1>Terms of use</h1>
<p>Elbow is for staff of this organization. It explains how to use the EHR and related devices; it never gives clinical advice.
Follow your policies, pharmacy and the covering provider for clinical decisions.</p>
<p>Do not type patient names, record numbers or other identifiers: describe the problem instead. If a patient is waiting and
the EHR is in the way, call the help desk at ${phone} (${hours}).</p></article>`,
    }));
  });
}
