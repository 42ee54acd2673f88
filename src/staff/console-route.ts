/**
 * The staff console: a few static files (no build step, no framework, no CDN — the bureau's intranet
 * may have no internet access) served from src/staff/console/ at /staff. The files are read once at
 * start-up and served with a strict Content-Security-Policy: scripts and styles only from this
 * origin, no inline script, no framing.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';

export const CONSOLE_DIR = fileURLToPath(new URL('./console/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
};

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)],
  );
}

export function loadConsoleAssets(dir: string = CONSOLE_DIR): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const file of listFiles(dir)) {
    const type = TYPES[extname(file)];
    if (!type) continue;
    const body = readFileSync(file);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`;
    assets.set(relative(dir, file).split('\\').join('/'), { body, type, etag });
  }
  return assets;
}

export const consoleRoute: FastifyPluginAsync<{ dir?: string }> = async (app, opts) => {
  const assets = loadConsoleAssets(opts.dir);
  const index = assets.get('index.html');
  if (!index) throw new Error(`staff console: index.html missing in ${opts.dir ?? CONSOLE_DIR}`);

  const send = (reply: FastifyReply, asset: Asset, ifNoneMatch: string | undefined) => {
    reply.headers(SECURITY_HEADERS).header('cache-control', 'no-cache').header('etag', asset.etag);
    if (ifNoneMatch === asset.etag) return reply.code(304).send();
    return reply.type(asset.type).send(asset.body);
  };

  const hidden = { schema: { hide: true } };
  app.get('/staff', hidden, (req, reply) => send(reply, index, req.headers['if-none-match']));
  app.get('/staff/', hidden, (req, reply) => send(reply, index, req.headers['if-none-match']));
  app.get<{ Params: { '*': string } }>('/staff/*', hidden, (req, reply) => {
    const asset = assets.get(req.params['*']);
    // Unknown paths fall back to the page so that a reload on a deep link still works.
    return send(reply, asset ?? index, req.headers['if-none-match']);
  });
};
