import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import AdmZip from 'adm-zip';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { expect } from 'chai';
import { BOT_SCOPES, buildManifest, COMMANDS, MANIFEST_VERSION, PLACEHOLDER_APP_ID, type TeamsManifest } from '../../teams/manifest.js';
import { nodeArgs } from '../helpers/bundles.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const APP_ID = '6f1c2b7a-3d4e-4f50-8a9b-0c1d2e3f4a5b';
const PACKAGE_VERSION = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** Width, height and colour type from a PNG's IHDR chunk (the signature is checked too). */
function pngHeader(png: Buffer): { width: number; height: number; colourType: number } {
  expect(png.subarray(0, 8).toString('hex')).to.equal('89504e470d0a1a0a');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), colourType: png[25] };
}

/** Validates against the manifest JSON schema shipped in @microsoft/app-manifest (draft-04, as Microsoft's own tooling does). */
function manifestSchemaValidator(): (manifest: unknown) => string[] {
  const require = createRequire(import.meta.url);
  const schemaFile = require.resolve(`@microsoft/app-manifest/build/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`);
  // Both packages are CommonJS whose module.exports is also their `.default`; `.default` keeps NodeNext typing happy.
  const ajv = new AjvDraft04.default({ allErrors: true, strictTypes: false });
  ajvFormats.default(ajv, ['uri', 'email', 'regex']);
  const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')));
  return (manifest) => (validate(manifest) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`));
}

/** Runs the packaging script as `npm run teams:package` would, writing into `outDir`. */
async function runPackageScript(outDir: string, env: Record<string, string>): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, [...nodeArgs('scripts/teams-package.ts'), '--out', outDir], {
    cwd: REPO_ROOT,
    // Explicit (even empty) values win over a developer's .env, which dotenv never overrides.
    env: { ...process.env, MicrosoftAppId: '', PUBLIC_BASE_URL: '', TEAMS_DEVELOPER_NAME: '', ...env },
  });
}

describe('teams:package', function () {
  this.timeout(60_000);
  const schemaErrors = manifestSchemaValidator();
  let outDir: string;
  let run: { stdout: string; stderr: string };
  let zip: AdmZip;
  let manifest: TeamsManifest;

  before(async () => {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'elbow-teams-'));
    run = await runPackageScript(outDir, { MicrosoftAppId: APP_ID, PUBLIC_BASE_URL: 'https://help.hospital.example:8443/elbow' });
    zip = new AdmZip(path.join(outDir, 'elbow-teams.zip'));
    manifest = JSON.parse(zip.readAsText('manifest.json')) as TeamsManifest;
  });

  after(() => fs.rmSync(outDir, { recursive: true, force: true }));

  it('writes elbow-teams.zip with exactly manifest.json and the two icons at the root, and says where', () => {
    expect(zip.getEntries().map((e) => e.entryName).sort()).to.deep.equal(['color.png', 'manifest.json', 'outline.png']);
    expect(run.stdout).to.include(path.join(outDir, 'elbow-teams.zip'));
    expect(run.stderr).to.equal('');
  });

  it(`produces a manifest that is valid against the v${MANIFEST_VERSION} schema in @microsoft/app-manifest`, () => {
    expect(schemaErrors(manifest)).to.deep.equal([]);
    expect(manifest.$schema).to.equal(`https://developer.microsoft.com/en-us/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`);
    expect(manifest.manifestVersion).to.equal(MANIFEST_VERSION);
  });

  it('rejects manifests with a missing required field or a malformed bot id (the schema check can fail)', () => {
    const { developer: _developer, ...withoutDeveloper } = manifest;
    expect(schemaErrors(withoutDeveloper).join('\n')).to.include("must have required property 'developer'");
    const badBot = { ...manifest, bots: [{ ...manifest.bots![0], botId: 'not-a-guid' }] };
    expect(schemaErrors(badBot).join('\n')).to.include('/bots/0/botId');
  });

  it('uses MicrosoftAppId for the app and the bot, PUBLIC_BASE_URL for links and domains, package.json for the version', () => {
    expect(manifest.id).to.equal(APP_ID);
    expect(manifest.bots?.[0].botId).to.equal(APP_ID);
    expect(manifest.version).to.equal(PACKAGE_VERSION);
    expect(manifest.developer).to.deep.include({
      websiteUrl: 'https://help.hospital.example:8443/elbow',
      privacyUrl: 'https://help.hospital.example:8443/elbow/privacy',
      termsOfUseUrl: 'https://help.hospital.example:8443/elbow/terms',
    });
    expect(manifest.validDomains).to.deep.equal(['help.hospital.example']);
  });

  it('names and describes Elbow without a vendor name and without promising clinical advice', () => {
    expect(manifest.name).to.deep.equal({ short: 'Elbow', full: 'Elbow – EHR help at your elbow' });
    expect(manifest.description.full).to.include('Never gives clinical advice.');
    expect(manifest.description.full).to.include('hands off to the help desk with the conversation attached');
    expect(`${manifest.description.short} ${manifest.description.full}`).to.not.match(/\b(epic|cerner|oracle|meditech|pyxis|omnicell)\b/i);
  });

  it('offers the bot in personal chat, teams and group chats, without files, with the six commands in each scope', () => {
    const bot = manifest.bots![0];
    expect(bot.scopes).to.have.members(['personal', 'team', 'groupChat']);
    expect(bot.supportsFiles).to.equal(false);
    const listsByScope = new Map((bot.commandLists ?? []).flatMap((list) => (list.scopes ?? []).map((scope) => [scope, list.commands] as const)));
    expect([...listsByScope.keys()]).to.have.members([...BOT_SCOPES]);
    for (const commands of listsByScope.values()) {
      const text = commands.map((c) => `${c.title} ${c.description}`.toLowerCase()).join('\n');
      for (const sample of ['why is my patient list incomplete', 'reset my password', "dispensing cabinet won't open", 'talk to a person', "what's new", 'change my role']) {
        expect(text).to.include(sample);
      }
      expect(commands).to.have.length(6);
      for (const c of commands) expect(c.title.length, c.title).to.be.at.most(32); // what older Teams clients display
    }
  });

  it('ships the committed icons: a 192x192 colour PNG and a 32x32 RGBA outline PNG', () => {
    for (const [file, size, colourType] of [['color.png', 192, null], ['outline.png', 32, 6]] as const) {
      const png = zip.readFile(file)!;
      expect(png.equals(fs.readFileSync(path.join(REPO_ROOT, 'teams/icons', file))), file).to.equal(true);
      expect(pngHeader(png), file).to.deep.include({ width: size, height: size });
      if (colourType !== null) expect(pngHeader(png).colourType, file).to.equal(colourType); // outline: RGBA, transparency allowed
    }
  });

  it('warns and falls back to the placeholder id and the example site when MicrosoftAppId and PUBLIC_BASE_URL are unset', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'elbow-teams-'));
    try {
      const { stderr } = await runPackageScript(dir, {});
      const fallback = JSON.parse(new AdmZip(path.join(dir, 'elbow-teams.zip')).readAsText('manifest.json')) as TeamsManifest;
      expect(stderr).to.include('MicrosoftAppId is not set');
      expect(fallback.id).to.equal(PLACEHOLDER_APP_ID);
      expect(fallback.bots?.[0].botId).to.equal(PLACEHOLDER_APP_ID);
      expect(fallback.developer.websiteUrl).to.equal('https://elbow.example.org');
      expect(fallback.validDomains).to.deep.equal(['elbow.example.org']);
      expect(schemaErrors(fallback)).to.deep.equal([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('buildManifest', () => {
  it('is pure: the same settings give the same manifest', () => {
    const env = { MicrosoftAppId: APP_ID, PUBLIC_BASE_URL: 'https://elbow.example.org/' };
    expect(buildManifest(env, '1.2.3')).to.deep.equal(buildManifest({ ...env }, '1.2.3'));
    expect(buildManifest(env, '1.2.3').developer.websiteUrl).to.equal('https://elbow.example.org');
  });

  it('fails loudly on an app id that is not a GUID or a base URL that is not http(s)', () => {
    expect(() => buildManifest({ MicrosoftAppId: 'my-bot' }, '1.0.0')).to.throw(/MicrosoftAppId must be a GUID/);
    expect(() => buildManifest({ PUBLIC_BASE_URL: 'elbow.example.org' }, '1.0.0')).to.throw(/PUBLIC_BASE_URL/);
    expect(() => buildManifest({ PUBLIC_BASE_URL: 'ftp://elbow.example.org' }, '1.0.0')).to.throw(/http\(s\)/);
  });
});
