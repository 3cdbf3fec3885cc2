import type { Request, Response, Server } from 'restify';
import type { AppContext } from '../context.js';
import { html, messagePage, page, sendHtml } from './html.js';

/** The local try-out chat page: transcript, input and the client (public/chat.js) that talks to /api/messages. */
export function chatPage(): string {
  const body = html`<section class="chat" aria-label="Chat with Elbow">
<h1>Ask Elbow</h1>
<p class="hint">Local try-out chat. Ask an EHR how-to question, for example “why is my patient list incomplete”. Do not type patient details.</p>
<div id="transcript" class="transcript" role="log" aria-live="polite" aria-relevant="additions"></div>
<form id="composer" class="composer" autocomplete="off">
<label for="message" class="visually-hidden">Your question</label>
<input id="message" name="message" type="text" maxlength="1000" placeholder="Type your question…" required>
<button type="submit" id="send">Send</button>
</form>
<p class="hint"><button type="button" id="restart" class="link">Start a new conversation</button></p>
</section>`;
  return page({
    title: 'Chat',
    body,
    bodyClass: 'chat-page',
    scripts: ['vendor/adaptivecards.min.js', 'chat.js'],
    nav: [{ href: '/chat', label: 'Chat' }, { href: '/kb', label: 'Articles' }],
  });
}

/** Registers GET /chat; it exists only in local mode (no MicrosoftAppId), 404 otherwise. */
export function registerChat(server: Server, ctx: AppContext): void {
  server.get('/chat', async (_req: Request, res: Response) => {
    if (!ctx.config.localMode) {
      sendHtml(res, 404, messagePage('Not found', 'The try-out chat is only available when Elbow runs in local mode.'));
      return;
    }
    sendHtml(res, 200, chatPage());
  });
}
