import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { teamsMessage } from '../helpers/app.js';
import { freshDataDir, type FreshDataDir } from '../helpers/engines.js';
import { freePort } from '../helpers/ports.js';

/** Resolves once the child's stdout carries the JSON log line with this message (no polling). */
function logged(child: ChildProcess, msg: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(`"msg":"${msg}"`)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`dist/bot/index.js exited (${code}) before "${msg}"`)));
  });
}

describe('scripts/build.mjs: the bundled server that npm start runs', function () {
  this.timeout(180_000);
  let child: ChildProcess | undefined;
  let tmp: string;
  let data: FreshDataDir | undefined;
  let stderr = '';
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'elbow-build-'));
  });
  after(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(tmp, { recursive: true, force: true });
    data?.remove();
  });

  it('builds one server bundle and one worker bundle, with the assets their code reads beside them', () => {
    const built = spawnSync(process.execPath, ['scripts/build.mjs'], { encoding: 'utf8' });
    expect(built.status, built.stderr).to.equal(0);
    const OUT = path.resolve('dist');
    for (const file of ['bot/index.js', 'bot/knowledge/index-worker.js', 'bot/store/migrations', 'bot/web/public/chat.js', '.built']) {
      expect(fs.existsSync(path.join(OUT, file)), file).to.equal(true);
    }
    // Bundled: the server's own modules are not separate files any more.
    expect(fs.existsSync(path.join(OUT, 'bot/app.js'))).to.equal(false);
  });

  it('starts from dist/, answers a Teams question, and rebuilds its index in the worker bundle on an article edit', async () => {
    const knowledgeDir = path.join(tmp, 'knowledge');
    fs.cpSync(path.resolve('knowledge'), knowledgeDir, { recursive: true });
    // A pre-migrated PGlite copy: PGlite's first start (initdb) costs ~8 s of CPU; the server still reads dist/'s
    // migrations to check that each one is applied.
    data = await freshDataDir();
    const port = await freePort();
    child = spawn(process.execPath, ['--no-deprecation', 'dist/bot/index.js'], {
      env: { ...process.env, PORT: String(port), DATA_DIR: data.dir, KNOWLEDGE_DIR: knowledgeDir, HOT_RELOAD: 'true', LOG_LEVEL: 'info', MicrosoftAppId: '', DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await logged(child, 'elbow ready').catch((err: Error) => Promise.reject(new Error(`${err.message}\n${stderr}`)));

    const res = await fetch(`http://127.0.0.1:${port}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...teamsMessage('why is my patient list incomplete'), deliveryMode: 'expectReplies' }),
    });
    expect(res.status).to.equal(200);
    expect(JSON.stringify(await res.json())).to.include('My patient list is missing patients');

    const reloaded = logged(child, 'knowledge reloaded');
    const article = path.join(knowledgeDir, 'articles', fs.readdirSync(path.join(knowledgeDir, 'articles'))[0]!);
    fs.appendFileSync(article, '\nOne more line, so the sources change.\n');
    await reloaded;
  });
});
