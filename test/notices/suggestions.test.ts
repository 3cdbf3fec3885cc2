import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import YAML from 'yaml';
import { addQuestionToArticle, unifiedDiff } from '../../bot/knowledge/article-edit.js';
import { cardsOf, startTestApp, teamsMessage, type TestApp } from '../helpers/app.js';
import { waitFor } from '../helpers/wait-for.js';

const ADMIN_TOKEN = 'suggestions-admin-token-0123456789';
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

describe('suggested alternate questions', function () {
  this.timeout(60_000);
  let app: TestApp;
  let knowledgeDir: string;

  before(async function () {
    this.timeout(180_000);
    knowledgeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'elbow-suggest-'));
    fs.cpSync(path.resolve('knowledge'), knowledgeDir, { recursive: true });
    app = await startTestApp({ ADMIN_TOKEN, KNOWLEDGE_DIR: knowledgeDir });
  });
  after(async () => {
    await app?.stop();
    fs.rmSync(knowledgeDir, { recursive: true, force: true });
  });

  const suggestions = async () => {
    const res = await fetch(`${app.url}/admin/api/suggestions`, { headers: auth });
    return ((await res.json()) as { suggestions: Array<{ articleId: string; question: string; source: string }> }).suggestions;
  };

  it('a clarify pick becomes a suggestion; accepting it makes the question answer directly, with golden figures', async () => {
    const user = '29:nurse-suggest';
    const asked = await app.send(teamsMessage('scanner broken again', { user }));
    const clarify = cardsOf(asked.activities)[0]!;
    const pick = clarify.actions.find((a: { data?: { articleId?: string } }) => a.data?.articleId === 'barcode-scan-failed');
    expect(pick, 'a clarify card offering barcode-scan-failed').to.exist;
    await app.send(teamsMessage(undefined, { user, value: pick.data }));

    await waitFor(async () => (await suggestions()).some((s) => s.articleId === 'barcode-scan-failed' && s.question === 'scanner broken again'), 15_000, 'the suggestion');
    const page = await (await fetch(`${app.url}/admin/suggestions`, { headers: auth })).text();
    expect(page).to.contain('scanner broken again').and.to.contain('Accept');

    const res = await fetch(`${app.url}/admin/api/suggestions/accept`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ articleId: 'barcode-scan-failed', question: 'scanner broken again' }),
    });
    expect(res.status).to.equal(200);
    const accepted = (await res.json()) as { written: boolean; before: { accuracy: number }; after: { accuracy: number; gate: string[] }; message: string };
    expect(accepted.written).to.equal(true);
    expect(accepted.before.accuracy).to.be.within(0, 1);
    expect(accepted.after.accuracy).to.be.within(0, 1);
    expect(accepted.message).to.match(/Golden set: accuracy [\d.]+% → [\d.]+%/);

    const file = fs.readFileSync(path.join(knowledgeDir, 'articles', 'barcode-scan-failed.md'), 'utf8');
    const front = YAML.parse(file.split('---')[1]!) as { questions: string[] };
    expect(front.questions.at(-1)).to.equal('scanner broken again');

    const again = await app.send(teamsMessage('scanner broken again', { user: '29:another-nurse' }));
    const card = cardsOf(again.activities)[0]!;
    expect(card.body.some((e: { text?: string }) => e.text === 'Steps'), 'an answer, not a clarify').to.equal(true);
    expect(card.actions.some((a: { data?: { articleId?: string; action?: string } }) => a.data?.action === 'feedback' && a.data.articleId === 'barcode-scan-failed')).to.equal(true);
    expect((await suggestions()).some((s) => s.question === 'scanner broken again'), 'gone from the list').to.equal(false);
  });

  it('rejects a bad decision body with 400 and needs the admin token', async () => {
    const post = (body: unknown, headers: Record<string, string> = auth) =>
      fetch(`${app.url}/admin/api/suggestions/dismiss`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post({ articleId: 'x', question: 'y' }, {})).status).to.equal(401);
    expect((await post({ articleId: 'x' })).status).to.equal(400);
  });
});

describe('article edits for accepted suggestions', () => {
  it('add one line to questions:, keep comments and order, and make a patch git can apply', () => {
    const text = '---\nid: demo # the id\ntitle: Demo\nroles: [nurse]\nquestions:\n  - first one # a comment\n  - second\ntags: [a]\n---\nBody text.\n';
    const edited = addQuestionToArticle(text, 'third: with a colon');
    expect(edited).to.contain('# the id').and.to.contain('# a comment').and.to.contain('roles: [nurse]');
    expect(edited.split('\n').filter((l) => !text.split('\n').includes(l))).to.deep.equal(['  - "third: with a colon"']);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'elbow-patch-'));
    try {
      fs.mkdirSync(path.join(dir, 'knowledge'));
      fs.writeFileSync(path.join(dir, 'knowledge', 'demo.md'), text);
      fs.writeFileSync(path.join(dir, 'change.patch'), unifiedDiff('knowledge/demo.md', text, edited));
      execFileSync('git', ['apply', 'change.patch'], { cwd: dir });
      expect(fs.readFileSync(path.join(dir, 'knowledge', 'demo.md'), 'utf8')).to.equal(edited);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
