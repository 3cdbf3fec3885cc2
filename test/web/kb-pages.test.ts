import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { buildKnowledgeBase } from '../../bot/knowledge/knowledge-base.js';
import { renderArticleBody } from '../../bot/web/article-html.js';
import { get, inlineCodeOf, startWebServer, type WebServer } from './web-server.js';

const HOSTILE_ARTICLE = `---
id: hostile-markup
title: Printing <b>labels</b> "safely"
roles: [everyone]
questions:
  - how do i print safely
tags: [printing]
owner: clinical-apps-team
reviewed: 2026-01-15
---
Print labels from the wristband screen. <script>alert('body')</script>

## Steps
1. Open the <img src=x onerror="alert('img')"> label screen.
2. Choose [the printer](javascript:alert('link')) and [the guide](https://intranet.example.org/guide).
3. Select Print. <iframe src="https://evil.example"></iframe>

<p style="color:red" onclick="alert('p')">Styled paragraph</p>

## Still stuck?
Call the help desk.
`;

describe('article pages (/kb)', () => {
  let web: WebServer;
  let kbSize: number;
  before(async () => {
    web = await startWebServer();
    kbSize = web.ctx.knowledge.current().articles.length;
  });
  after(async () => {
    await web.close();
  });

  it('lists every article A–Z with a link to its page, without inline scripts or styles', async () => {
    const { status, headers, body } = await get(web.url, '/kb');
    expect(status).to.equal(200);
    expect(headers.get('content-type')).to.match(/^text\/html; charset=utf-8/);
    const links = [...body.matchAll(/class="article-link" href="\/kb\/([a-z0-9-]+)"/g)].map((m) => m[1]);
    expect(links).to.have.length(kbSize);
    expect(links).to.include('patient-list-incomplete');
    const kb = web.ctx.knowledge.current();
    const titles = links.map((id) => kb.byId.get(id)?.title ?? '');
    expect(titles).to.deep.equal([...titles].sort((a, b) => a.localeCompare(b)));
    expect(inlineCodeOf(body)).to.deep.equal({ inlineScripts: [], styleAttributes: 0, styleTags: 0 });
    expect(body).to.include('name="q"');
    expect(body).not.to.match(/https?:\/\/(?!127\.0\.0\.1)[^"']*\.(js|css)/);
  });

  it('searches with the real search: GET /kb?q= puts the best article first', async () => {
    const { status, body } = await get(web.url, `/kb?q=${encodeURIComponent('why is my patient list incomplete')}`);
    expect(status).to.equal(200);
    const first = /class="article-link" href="\/kb\/([a-z0-9-]+)"/.exec(body)?.[1];
    expect(first).to.equal('patient-list-incomplete');
    const printer = await get(web.url, `/kb?q=${encodeURIComponent('printer jammed')}`);
    expect(/class="article-link" href="\/kb\/([a-z0-9-]+)"/.exec(printer.body)?.[1]).to.equal('printer-not-printing');
  });

  it('escapes the query and survives lunr operators and nonsense', async () => {
    const hostile = await get(web.url, `/kb?q=${encodeURIComponent('<script>alert(1)</script> "x')}`);
    expect(hostile.status).to.equal(200);
    expect(hostile.body).not.to.include('<script>alert(1)');
    expect(hostile.body).to.include('&lt;script&gt;alert(1)&lt;/script&gt; &quot;x');
    for (const q of ['patient:list^10 +foo -bar~2 *', 'zzzzqqq', 'x'.repeat(5000)]) {
      expect((await get(web.url, `/kb?q=${encodeURIComponent(q)}`)).status, q.slice(0, 20)).to.equal(200);
    }
    expect((await get(web.url, '/kb?q=zzzzqqq')).body).to.include('No article matches');
  });

  it('filters by tag', async () => {
    const { body } = await get(web.url, `/kb?tag=${encodeURIComponent('census')}`);
    const links = [...body.matchAll(/class="article-link" href="\/kb\/([a-z0-9-]+)"/g)].map((m) => m[1]);
    expect(links).to.include('patient-list-incomplete');
    for (const id of links) expect(web.ctx.knowledge.current().byId.get(id)?.tags).to.include('census');
  });

  it('renders an article: title, audience, review date, owner, steps and an "Ask Elbow" link', async () => {
    const { status, body } = await get(web.url, '/kb/patient-list-incomplete');
    expect(status).to.equal(200);
    expect(body).to.include('<h1>My patient list is missing patients</h1>');
    expect(body).to.include('<title>My patient list is missing patients · Elbow</title>');
    expect(body).to.match(/<dt>For<\/dt><dd>Nurses, Physicians<\/dd>/);
    expect(body).to.include('<time datetime="2026-03-12">2026-03-12</time>');
    expect(body).to.include('<dd>clinical-apps-team</dd>');
    expect(body).to.include('<h2>Steps</h2>');
    expect(body).to.match(/<ol>\s*<li>Select Refresh on the patient list/);
    expect(body).to.include('href="/chat?q=why%20is%20my%20patient%20list%20incomplete"');
    expect(inlineCodeOf(body)).to.deep.equal({ inlineScripts: [], styleAttributes: 0, styleTags: 0 });
  });

  it('answers 404 with a page for an unknown or malformed id', async () => {
    for (const id of ['no-such-article', 'Patient-List', '..%2F..%2Fpackage.json', '%3Cscript%3E']) {
      const { status, body } = await get(web.url, `/kb/${id}`);
      expect(status, id).to.equal(404);
      expect(body).to.include('Article not found');
      expect(body).not.to.include('<script>');
    }
  });
});

describe('article pages: hostile markdown', () => {
  let web: WebServer;
  let dir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'elbow-kb-'));
    fs.cpSync(path.resolve('knowledge'), dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'articles', 'hostile-markup.md'), HOSTILE_ARTICLE);
    web = await startWebServer({ kb: buildKnowledgeBase(dir), env: { MicrosoftAppId: '11111111-2222-3333-4444-555555555555' } });
  });
  after(async () => {
    await web.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('strips scripts, event handlers, javascript: links, frames and inline styles, keeps safe content', async () => {
    const { status, body } = await get(web.url, '/kb/hostile-markup');
    expect(status).to.equal(200);
    for (const bad of ['<script', "alert('", 'onerror', 'onclick', 'javascript:', '<iframe', 'style=']) expect(body, bad).not.to.include(bad);
    expect(body).to.include('<h1>Printing &lt;b&gt;labels&lt;/b&gt; &quot;safely&quot;</h1>');
    expect(body).to.include('<a href="https://intranet.example.org/guide" rel="noopener noreferrer">the guide</a>');
    expect(body).to.include('Styled paragraph');
  });

  it('links "Ask Elbow" to a Teams chat with the bot when it is registered (not local mode)', async () => {
    const { body } = await get(web.url, '/kb/hostile-markup');
    expect(body).to.include('href="https://teams.microsoft.com/l/chat/0/0?users=28:11111111-2222-3333-4444-555555555555&amp;message=how%20do%20i%20print%20safely"');
  });

  it('renderArticleBody sanitizes on its own', () => {
    const html = renderArticleBody('Hi <script>x()</script> <a href="javascript:x()">a</a> <img src="data:image/png;base64,AAAA" alt="ok">');
    expect(html).not.to.include('<script');
    expect(html).not.to.include('javascript:');
    expect(html).to.include('<img src="data:image/png;base64,AAAA" alt="ok" />');
  });
});
