import { expect } from 'chai';
import { get, inlineCodeOf, startWebServer, type WebServer } from './web-server.js';

describe('/chat (local web chat page)', () => {
  describe('in local mode', () => {
    let web: WebServer;
    before(async () => {
      web = await startWebServer();
    });
    after(async () => {
      await web.close();
    });

    it('serves the page with a transcript, an input and the local scripts only', async () => {
      expect(web.ctx.config.localMode).to.equal(true);
      const { status, body } = await get(web.url, '/chat');
      expect(status).to.equal(200);
      expect(body).to.include('id="transcript"').and.to.include('id="message"').and.to.include('id="composer"');
      const scripts = [...body.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1].replace(/\?v=[0-9a-f]+$/, ''));
      expect(scripts).to.deep.equal(['/static/vendor/adaptivecards.min.js', '/static/chat.js']);
      expect(inlineCodeOf(body)).to.deep.equal({ inlineScripts: [], styleAttributes: 0, styleTags: 0 });
    });

    it('every script and stylesheet it references is served', async () => {
      const { body } = await get(web.url, '/chat');
      const assets = [...body.matchAll(/(?:src|href)="(\/static\/[^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
      expect(assets.length).to.equal(3);
      for (const asset of assets) expect((await get(web.url, asset)).status, asset).to.equal(200);
    });
  });

  describe('with a MicrosoftAppId (not local mode)', () => {
    let web: WebServer;
    before(async () => {
      web = await startWebServer({ env: { MicrosoftAppId: '11111111-2222-3333-4444-555555555555' } });
    });
    after(async () => {
      await web.close();
    });

    it('answers 404', async () => {
      const { status, body } = await get(web.url, '/chat');
      expect(status).to.equal(404);
      expect(body).not.to.include('id="composer"');
    });
  });
});
