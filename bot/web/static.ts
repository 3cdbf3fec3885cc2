import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Request, Response, Server } from 'restify';

/**
 * The static files of the web pages: Elbow's own client JS/CSS (bot/web/public) and two vendor
 * bundles served from node_modules (Chart.js and the Adaptive Cards renderer) — never from a CDN.
 * Only the files listed here are served, so no request path can reach anything else on disk.
 */

const require = createRequire(import.meta.url);
const PUBLIC_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'public');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Asset name (URL path under /static/) -> file on disk. */
function assetFiles(): Record<string, string> {
  return {
    'elbow.css': path.join(PUBLIC_DIR, 'elbow.css'),
    'chat.js': path.join(PUBLIC_DIR, 'chat.js'),
    'admin.js': path.join(PUBLIC_DIR, 'admin.js'),
    'embed.js': path.join(PUBLIC_DIR, 'embed.js'),
    'embed.css': path.join(PUBLIC_DIR, 'embed.css'),
    // The package's exports map hides dist/; the browser bundle sits next to lib/index.js.
    'vendor/webchat.js': path.join(path.dirname(require.resolve('botframework-webchat')), '..', 'dist', 'webchat.js'),
    'admin-actions.js': path.join(PUBLIC_DIR, 'admin-actions.js'),
    'vendor/chart.umd.js': path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.js'),
    'vendor/adaptivecards.min.js': require.resolve('adaptivecards/dist/adaptivecards.min.js'),
  };
}

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
  /** Short content hash, appended to URLs so a changed file is fetched again. */
  version: string;
}

let assets: Map<string, Asset> | null = null;

function loadAssets(): Map<string, Asset> {
  if (assets) return assets;
  const loaded = new Map<string, Asset>();
  for (const [name, file] of Object.entries(assetFiles())) {
    const body = fs.readFileSync(file);
    const hash = crypto.createHash('sha256').update(body).digest('hex');
    loaded.set(name, { body, type: TYPES[path.extname(file)] ?? 'application/octet-stream', etag: `"${hash.slice(0, 32)}"`, version: hash.slice(0, 10) });
  }
  assets = loaded;
  return loaded;
}

/** The URL of an asset, versioned by content so it can be cached for a long time. */
export function assetUrl(name: string): string {
  const asset = loadAssets().get(name);
  if (!asset) throw new Error(`unknown static asset "${name}"`);
  return `/static/${name}?v=${asset.version}`;
}

/** A handler serving one asset (content type, ETag, long cache when requested with its version). */
export function serveAsset(name: string): (req: Request, res: Response) => Promise<void> {
  const asset = loadAssets().get(name);
  if (!asset) throw new Error(`unknown static asset "${name}"`);
  return async (req: Request, res: Response) => {
    const versioned = new URL(req.url ?? '', 'http://local').searchParams.get('v') === asset.version;
    const headers = {
      'Content-Type': asset.type,
      ETag: asset.etag,
      'Cache-Control': versioned ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
    };
    if (req.headers['if-none-match'] === asset.etag) {
      res.sendRaw(304, '', headers);
      return;
    }
    res.sendRaw(200, asset.body, { ...headers, 'Content-Length': String(asset.body.length) });
  };
}

/** Registers GET /static/<asset> for the listed assets. */
export function registerStatic(server: Server): void {
  for (const name of loadAssets().keys()) server.get(`/static/${name}`, serveAsset(name));
}
