import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { decide } from '../../bot/knowledge/decide.js';
import { buildKnowledgeBase, openKnowledgeBase, type KnowledgeBase } from '../../bot/knowledge/knowledge-base.js';
import { KnowledgeError } from '../../bot/knowledge/load.js';
import { createKnowledgeHolder, watchKnowledge, type KnowledgeWatcher, type MutableKnowledgeHolder } from '../../bot/knowledge/watch.js';

/** Records the watcher's callbacks; `next(kind)` settles on the next one: resolves if it is `kind`, rejects if not. */
class Events {
  private waiting: Array<{ kind: 'reload' | 'error'; resolve: (v: never) => void; reject: (e: Error) => void }> = [];
  readonly reloads: KnowledgeBase[] = [];
  readonly errors: Error[] = [];

  reload = (kb: KnowledgeBase) => {
    this.reloads.push(kb);
    this.settle('reload', kb);
  };
  error = (err: Error) => {
    this.errors.push(err);
    this.settle('error', err);
  };
  next<K extends 'reload' | 'error'>(kind: K): Promise<K extends 'reload' ? KnowledgeBase : Error> {
    return new Promise((resolve, reject) => this.waiting.push({ kind, resolve: resolve as (v: never) => void, reject }));
  }
  private settle(kind: 'reload' | 'error', value: KnowledgeBase | Error) {
    for (const w of this.waiting.splice(0)) {
      if (w.kind === kind) w.resolve(value as never);
      else w.reject(new Error(`expected ${w.kind}, got ${kind}: ${value instanceof Error ? value.message : 'a reload'}`));
    }
  }
}

describe('knowledge hot reload', () => {
  let dir: string;
  let indexFile: string;
  let holder: MutableKnowledgeHolder;
  let watcher: KnowledgeWatcher;
  let events: Events;
  // What each test's watcher starts from: the repository's knowledge, of which each test edits a fresh copy (same
  // content, same source hash). Built once: a build costs about a second of CPU.
  let initial: KnowledgeBase;
  const articleFile = () => path.join(dir, 'articles', 'printer-not-printing.md');

  before(() => {
    initial = buildKnowledgeBase(path.resolve('knowledge'));
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'elbow-watch-'));
    fs.cpSync(path.resolve('knowledge'), dir, { recursive: true });
    indexFile = path.join(dir, '.data', 'kb-index.json');
    holder = createKnowledgeHolder(initial);
    events = new Events();
    watcher = watchKnowledge({
      knowledgeDir: dir,
      indexFile,
      debounceMs: 30,
      initialHash: initial.sourceHash,
      onReload: (next) => {
        holder.replace(next);
        events.reload(next);
      },
      onError: events.error,
    });
  });
  afterEach(() => {
    watcher.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves an edited title and question after the reload, and saves the new index', async () => {
    const before = holder.current();
    expect(before.byId.get('printer-not-printing')?.title).not.to.equal('Label printer prints blank pages');
    const text = fs.readFileSync(articleFile(), 'utf8')
      .replace(/^title: .*$/m, 'title: Label printer prints blank pages')
      .replace(/^questions:\n/m, 'questions:\n  - the zebra spits out empty stickers\n');
    const reloaded = events.next('reload');
    fs.writeFileSync(articleFile(), text);
    const kb = await reloaded;

    expect(holder.current()).to.equal(kb);
    expect(holder.current()).not.to.equal(before);
    expect(kb.byId.get('printer-not-printing')?.title).to.equal('Label printer prints blank pages');
    expect(kb.byId.get('printer-not-printing')?.questions).to.include('the zebra spits out empty stickers');
    expect(decide(kb, 'the zebra spits out empty stickers').articleId).to.equal('printer-not-printing');
    expect(events.errors).to.deep.equal([]);
    const saved = openKnowledgeBase(dir, indexFile);
    expect(saved.source).to.equal('serialized');
    expect(saved.kb.byId.get('printer-not-printing')?.title).to.equal('Label printer prints blank pages');
  });

  it('reports an invalid article with its file and field, and keeps serving the previous knowledge base', async () => {
    const before = holder.current();
    const broken = fs.readFileSync(articleFile(), 'utf8').replace(/^roles: .*$/m, 'roles: [surgeon]');
    const failed = events.next('error');
    fs.writeFileSync(articleFile(), broken);
    const err = await failed;

    expect(err).to.be.instanceOf(KnowledgeError);
    const problems = (err as KnowledgeError).problems;
    expect(problems).to.have.length(1);
    expect(problems[0].file).to.equal(articleFile());
    expect(problems[0].field).to.equal('roles.0');
    expect(err.message).to.include('printer-not-printing.md').and.to.include('roles');
    expect(holder.current()).to.equal(before);
    expect(events.reloads).to.have.length(0);

    const fixed = events.next('reload');
    fs.writeFileSync(articleFile(), broken.replace('roles: [surgeon]', 'roles: [everyone]'));
    expect((await fixed).byId.get('printer-not-printing')?.roles).to.deep.equal(['everyone']);
  });

  it('picks up added and removed articles and synonyms.yml changes', async () => {
    const added = events.next('reload');
    const newArticle = fs.readFileSync(articleFile(), 'utf8')
      .replace(/^id: .*$/m, 'id: wheelchair-request')
      .replace(/^title: .*$/m, 'title: Request a wheelchair')
      .replace(/^questions:\n/m, 'questions:\n  - how do i order a wheelchair\n');
    fs.writeFileSync(path.join(dir, 'articles', 'wheelchair-request.md'), newArticle);
    expect((await added).byId.has('wheelchair-request')).to.equal(true);

    const removed = events.next('reload');
    fs.rmSync(path.join(dir, 'articles', 'wheelchair-request.md'));
    expect((await removed).byId.has('wheelchair-request')).to.equal(false);

    const synonyms = events.next('reload');
    fs.appendFileSync(path.join(dir, 'synonyms.yml'), '\nwobblechair: [wheelchair]\n');
    const kb = await synonyms;
    expect(kb.synonyms.byFirstToken.has('wobblechair')).to.equal(true);
  });

  it('coalesces a burst of writes into one rebuild', async () => {
    const reloaded = events.next('reload');
    const original = fs.readFileSync(articleFile(), 'utf8');
    for (let i = 1; i <= 5; i++) fs.writeFileSync(articleFile(), original.replace(/^title: .*$/m, `title: Printer edit ${i}`));
    const kb = await reloaded;
    expect(kb.byId.get('printer-not-printing')?.title).to.equal('Printer edit 5');
    expect(events.reloads).to.have.length(1);
  });
});

describe('knowledge holder', () => {
  it('returns the knowledge base it holds until replaced', () => {
    const a = buildKnowledgeBase(path.resolve('knowledge'));
    const b = { ...a };
    const holder = createKnowledgeHolder(a);
    expect(holder.current()).to.equal(a);
    holder.replace(b);
    expect(holder.current()).to.equal(b);
  });
});
