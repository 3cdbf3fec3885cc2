import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { CONTENT_SECURITY_POLICY } from '../../bot/web/security.js';
import { assetUrl } from '../../bot/web/static.js';
import { get, startWebServer, type WebServer } from './web-server.js';

describe('static files and security headers', () => {
  let web: WebServer;
  before(async () => {
    web = await startWebServer({ env: { ADMIN_TOKEN: 'secret-token' } });
  });
  after(async () => {
    await web.close();
  });

  it('serves our client files and the two vendor bundles from node_modules with JS/CSS content types', async () => {
    const expected: Array<[string, RegExp, string | null]> = [
      ['/static/chat.js', /^text\/javascript/, 'bot/web/public/chat.js'],
      ['/static/admin.js', /^text\/javascript/, 'bot/web/public/admin.js'],
      ['/static/elbow.css', /^text\/css/, 'bot/web/public/elbow.css'],
      ['/static/vendor/chart.umd.js', /^text\/javascript/, 'node_modules/chart.js/dist/chart.umd.js'],
      ['/static/vendor/adaptivecards.min.js', /^text\/javascript/, 'node_modules/adaptivecards/dist/adaptivecards.min.js'],
    ];
    for (const [url, type, file] of expected) {
      const res = await get(web.url, url);
      expect(res.status, url).to.equal(200);
      expect(res.headers.get('content-type'), url).to.match(type);
      expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
      if (file) expect(res.body, url).to.equal(fs.readFileSync(path.resolve(file), 'utf8'));
    }
  });

  it('caches versioned URLs for a year, others briefly, and answers 304 to a matching ETag', async () => {
    const versioned = await get(web.url, assetUrl('chat.js'));
    expect(versioned.headers.get('cache-control')).to.equal('public, max-age=31536000, immutable');
    const plain = await get(web.url, '/static/chat.js');
    expect(plain.headers.get('cache-control')).to.equal('public, max-age=300');
    const etag = plain.headers.get('etag') as string;
    expect(etag).to.match(/^"[0-9a-f]{32}"$/);
    const again = await get(web.url, '/static/chat.js', { 'If-None-Match': etag });
    expect(again.status).to.equal(304);
    expect(again.body).to.equal('');
  });

  it('serves nothing outside its list of files', async () => {
    for (const url of ['/static/../package.json', '/static/%2e%2e/package.json', '/static/vendor/chart.js', '/static/public/chat.js', '/static/', '/static/chat.js.map']) {
      expect((await get(web.url, url)).status, url).to.equal(404);
    }
  });

  it('sends the security headers on pages, scripts, JSON and errors', async () => {
    for (const url of ['/kb', '/kb/patient-list-incomplete', '/kb/nope', '/chat', '/admin', '/admin/api/summary', '/static/chat.js', '/nowhere']) {
      const { headers } = await get(web.url, url);
      expect(headers.get('content-security-policy'), url).to.equal(CONTENT_SECURITY_POLICY);
      expect(headers.get('x-content-type-options'), url).to.equal('nosniff');
      expect(headers.get('x-frame-options'), url).to.equal('DENY');
      expect(headers.get('referrer-policy'), url).to.equal('no-referrer');
    }
    expect(CONTENT_SECURITY_POLICY).to.include("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'");
  });
});
