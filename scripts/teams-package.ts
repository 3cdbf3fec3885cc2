/** npm run teams:package [-- --out DIR] : writes DIR/elbow-teams.zip (manifest.json, color.png, outline.png) to upload to Teams. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import dotenv from 'dotenv';
import { buildManifest, ICON_FILES, PLACEHOLDER_APP_ID } from '../teams/manifest.js';
import { parseArgs, runMain } from './cli.js';

const PACKAGE_FILE = 'elbow-teams.zip';
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function warn(message: string): void {
  process.stderr.write(`warning  ${message}\n`);
}

runMain(async () => {
  dotenv.config({ quiet: true });
  const out = parseArgs(process.argv.slice(2), ['out']).flags.get('out');
  const outDir = path.resolve(typeof out === 'string' ? out : 'dist');
  const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };

  const manifest = buildManifest(process.env, version);
  if (manifest.id === PLACEHOLDER_APP_ID) warn(`MicrosoftAppId is not set: using the placeholder ${PLACEHOLDER_APP_ID}; Teams will not accept this package`);
  if (!process.env.PUBLIC_BASE_URL?.trim()) warn(`PUBLIC_BASE_URL is not set: developer links point to ${manifest.developer.websiteUrl}`);

  // adm-zip is a dev dependency: packaging is a build-time task, not something a production install needs.
  const { default: AdmZip } = await import('adm-zip').catch(() => {
    throw new Error('teams:package needs the dev dependency adm-zip: run npm install without --omit=dev');
  });
  const zip = new AdmZip();
  zip.addFile('manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
  for (const icon of Object.values(ICON_FILES)) zip.addFile(icon, fs.readFileSync(path.join(REPO_ROOT, 'teams/icons', icon)));
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, PACKAGE_FILE);
  zip.writeZip(file);
  console.log(`Wrote ${file} (Teams manifest ${manifest.manifestVersion}, app ${manifest.id}, version ${manifest.version})`);
});
