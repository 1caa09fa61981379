import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type Koa from 'koa';
import { repoRoot } from '../stores/paths';
import { API_PREFIX } from './openapi';

/** Where `npm run build` puts the console's files (ACS_CONSOLE_DIR overrides it). */
export function consoleDir(configured?: string): string {
  return configured ?? path.join(repoRoot(), 'dist', 'console');
}

/**
 * No remote origin anywhere (the console works offline and loads nothing from elsewhere), no
 * inline script or style, no framing.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONSOLE_CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** A bundler's content-hashed file name (`index-3fA9_x1b.js`): it never changes, so it may be cached for good. */
const HASHED = /[.-][A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ACS console not built</title></head>
<body><h1>The console is not built</h1><p>Run <code>npm run build</code>, then reload this page. The API is at <code>${API_PREFIX}</code>.</p></body></html>
`;

/**
 * The console's built files at `/`. A browser navigation (Accept: text/html) to a path naming no
 * file and no file extension is a route of the single-page app and gets index.html; a missing
 * file with an extension, or a request not asking for HTML, gets 404. Only GET
 * and HEAD; everything under /api/v1 is left to the API.
 */
export function consoleStatic(root: string): Koa.Middleware {
  const base = path.resolve(root);
  return async (ctx, next) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || ctx.path === API_PREFIX || ctx.path.startsWith(`${API_PREFIX}/`)) return next();
    let relative: string;
    try {
      relative = decodeURIComponent(ctx.path);
    } catch {
      return next();
    }
    const file = path.resolve(base, `.${path.posix.normalize(`/${relative}`)}`);
    if (file !== base && !file.startsWith(`${base}${path.sep}`)) return next();
    const found = await regularFile(file);
    if (found) return send(ctx, found, HASHED.test(path.basename(found)) ? 'public, max-age=31536000, immutable' : 'no-cache');
    // Only a browser navigating (it asks for HTML) gets the app for a path that is no file:
    // a scraper or script asking for /metrics or a mistyped URL gets the API's 404.
    if (path.extname(relative) || !/\btext\/html\b/i.test(ctx.get('Accept'))) return next();
    const index = await regularFile(path.join(base, 'index.html'));
    if (index) return send(ctx, index, 'no-cache');
    ctx.set(SECURITY_HEADERS);
    ctx.status = 503;
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = NOT_BUILT;
  };
}

async function regularFile(file: string): Promise<string | undefined> {
  try {
    const s = await stat(file);
    if (s.isFile()) return file;
    if (s.isDirectory()) {
      const index = path.join(file, 'index.html');
      if ((await stat(index).catch(() => undefined))?.isFile()) return index;
    }
  } catch {
    // not there
  }
  return undefined;
}

async function send(ctx: Koa.Context, file: string, cacheControl: string): Promise<void> {
  const s = await stat(file);
  ctx.set(SECURITY_HEADERS);
  ctx.set('Cache-Control', cacheControl);
  ctx.type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  ctx.length = s.size;
  ctx.lastModified = s.mtime;
  ctx.status = 200;
  // Koa sends no body for HEAD but would leave an unread stream open
  ctx.body = ctx.method === 'HEAD' ? Buffer.alloc(0) : createReadStream(file);
  ctx.length = s.size;
}
