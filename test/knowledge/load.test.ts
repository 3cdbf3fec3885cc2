import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { shareBodyText } from '../../bot/knowledge/body.js';
import { KnowledgeError, loadArticles, parseArticle } from '../../bot/knowledge/load.js';

/** A valid article file; `overrides` replace front-matter lines by key, `body` replaces the body. */
function articleText(id: string, overrides: Record<string, string | null> = {}, body?: string): string {
  const fields: Record<string, string | null> = {
    id,
    title: 'Printer will not print',
    roles: '[everyone]',
    questions: '\n  - printer not printing\n  - nothing comes out of the printer',
    tags: '[printer]',
    owner: 'end-user-computing',
    reviewed: '2026-01-15',
    ...overrides,
  };
  const frontMatter = Object.entries(fields)
    .filter(([, value]) => value !== null)
    .map(([key, value]) => `${key}: ${value}`)
    .join('\n');
  const defaultBody = 'Check the printer name in the print window first.\n\n## Steps\n1. Open the print window.\n2. Pick the printer near you.\n\n## Still stuck?\nCall the help desk.\n';
  return `---\n${frontMatter}\n---\n${body ?? defaultBody}`;
}

/** Loads a temp articles dir with the given files and returns the KnowledgeError thrown. */
function loadError(files: Record<string, string>): KnowledgeError {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'elbow-load-'));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    try {
      loadArticles(dir);
    } catch (err) {
      expect(err).to.be.instanceOf(KnowledgeError);
      return err as KnowledgeError;
    }
    throw new Error('expected loadArticles to throw');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('knowledge/load', () => {
  it('parses a valid article into quick answer, steps and still-stuck text', () => {
    const { article, problems } = parseArticle('/kb/printer.md', articleText('printer'));
    expect(problems).to.deep.equal([]);
    expect(article?.id).to.equal('printer');
    expect(article?.quickAnswer).to.equal('Check the printer name in the print window first.');
    expect(article?.steps).to.deep.equal(['Open the print window.', 'Pick the printer near you.']);
    expect(article?.stillStuck).to.equal('Call the help desk.');
    expect(article?.urgent).to.equal(false);
  });

  it('names the file and the field for a bad front-matter value', () => {
    const err = loadError({ 'printer.md': articleText('printer', { roles: '[nurse, janitor]' }) });
    const problem = err.problems.find((p) => p.field.startsWith('roles'));
    expect(problem, err.message).to.not.equal(undefined);
    expect(problem?.file).to.match(/printer\.md$/);
    expect(err.message).to.include('printer.md').and.to.include('roles');
  });

  it('rejects an unknown role', () => {
    const err = loadError({ 'printer.md': articleText('printer', { roles: '[surgeon]' }) });
    expect(err.problems.map((p) => p.field)).to.include('roles.0');
  });

  it('rejects a date that does not exist', () => {
    const err = loadError({ 'printer.md': articleText('printer', { reviewed: '2026-02-30' }) });
    const problem = err.problems.find((p) => p.field === 'reviewed');
    expect(problem?.message).to.match(/YYYY-MM-DD/);
  });

  it('rejects a missing required field, naming it', () => {
    const err = loadError({ 'printer.md': articleText('printer', { owner: null }) });
    expect(err.problems.map((p) => p.field)).to.include('owner');
  });

  it('rejects an id that differs from the file name', () => {
    const err = loadError({ 'printer.md': articleText('printer-problems') });
    const problem = err.problems.find((p) => p.field === 'id');
    expect(problem?.message).to.include('printer-problems').and.to.include('"printer"');
  });

  it('rejects duplicate ids across files, naming both files', () => {
    const err = loadError({ 'printer.md': articleText('printer'), 'printer-copy.md': articleText('printer') });
    const duplicate = err.problems.find((p) => /duplicate id "printer"/.test(p.message));
    expect(duplicate?.field).to.equal('id');
    const named = [path.basename(duplicate?.file ?? ''), path.basename(duplicate?.message.match(/also in (.*)\)/)?.[1] ?? '')];
    expect(named.sort()).to.deep.equal(['printer-copy.md', 'printer.md']);
  });

  it('rejects an article without a quick-answer paragraph', () => {
    const err = loadError({ 'printer.md': articleText('printer', {}, '## Steps\n1. Open the print window.\n') });
    const problem = err.problems.find((p) => p.field === 'body');
    expect(problem?.message).to.match(/quick-answer/);
  });

  it('rejects an article without numbered steps', () => {
    const err = loadError({ 'printer.md': articleText('printer', {}, 'Quick answer here.\n\n## Steps\nJust print again.\n') });
    expect(err.problems.some((p) => p.field === 'body' && /Steps/.test(p.message))).to.equal(true);
  });

  it('reports front matter that is not YAML', () => {
    const err = loadError({ 'printer.md': '---\nid: [unclosed\n---\nBody.\n' });
    expect(err.problems[0].field).to.equal('front matter');
    expect(err.problems[0].file).to.match(/printer\.md$/);
  });

  it('lists every problem of every file at once', () => {
    const err = loadError({
      'one.md': articleText('one', { reviewed: 'yesterday' }),
      'two.md': articleText('two', { title: '""' }),
    });
    const files = new Set(err.problems.map((p) => path.basename(p.file)));
    expect([...files].sort()).to.deep.equal(['one.md', 'two.md']);
  });

  it('fails on a missing or empty articles directory', () => {
    expect(() => loadArticles(path.join(os.tmpdir(), 'elbow-no-such-dir'))).to.throw(KnowledgeError, /does not exist/);
    expect(() => loadError({})).to.not.throw();
    expect(loadError({}).message).to.match(/contains no \.md articles/);
  });

  it('loads the real knowledge base (45+ valid articles with unique ids)', () => {
    const articles = loadArticles(path.resolve('knowledge/articles'));
    expect(articles.length).to.be.at.least(45);
    expect(new Set(articles.map((a) => a.id)).size).to.equal(articles.length);
    for (const a of articles) {
      expect(a.quickAnswer, a.id).to.not.equal('');
      expect(a.steps.length, a.id).to.be.greaterThan(0);
      expect(a.questions.length, a.id).to.be.greaterThan(0);
    }
  });
});

describe('knowledge/body: shareBodyText', () => {
  it('keeps every shown part of the real articles as it was (slices of the body have the same text)', () => {
    const articles = loadArticles(path.resolve('knowledge/articles'));
    const copies = articles.map((a) => structuredClone(a));
    articles.forEach(shareBodyText);
    expect(articles).to.deep.equal(copies);
    // The parts really are in the bodies (else nothing is shared): the quick answer always is.
    expect(articles.every((a) => a.body.includes(a.quickAnswer))).to.equal(true);
  });

  it('leaves a part that is not word for word in the body, and empty parts, as they are', () => {
    const article = { body: 'Quick.\n\n## Steps\n1. Open **it**.', quickAnswer: 'Quick.', steps: ['Open it.'], roleSections: { nurse: '' }, stillStuck: '' };
    expect(shareBodyText(article)).to.deep.equal({ body: article.body, quickAnswer: 'Quick.', steps: ['Open it.'], roleSections: { nurse: '' }, stillStuck: '' });
  });
});
