/**
 * The console's page and its built files (`npm run build` writes them to `out/console`), served
 * at `/console/`: only files that are there, never a path outside the folder, with a
 * Content-Security-Policy that lets the page load nothing but the register's own files.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context } from 'hono';

/** Where the build puts the console, seen from this file (the register runs from source). */
export const CONSOLE_DIR = fileURLToPath(new URL('../../out/console', import.meta.url));

export const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

const notBuilt = {
  sv: 'Konsolen är inte byggd. Kör npm run build och starta registret igen.',
  en: 'The console is not built. Run npm run build and start the register again.',
};

/** A handler for `GET /console/*`: the page at `/console/`, its assets beside it. */
export function consoleFiles(dir: string = CONSOLE_DIR) {
  const root = normalize(dir + sep);
  return (c: Context) => {
    const headers = {
      'Content-Security-Policy': CONSOLE_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
    };
    let rest: string;
    try {
      rest = decodeURIComponent(c.req.path.replace(/^\/console\/?/, '')) || 'index.html';
    } catch {
      return c.text('Not found', 404, headers);
    }
    const file = normalize(join(root, rest));
    if (!file.startsWith(root) || rest.includes('\0')) return c.text('Not found', 404, headers);
    if (!existsSync(file) || !statSync(file).isFile()) {
      if (rest === 'index.html') return c.text(`${notBuilt.sv}\n${notBuilt.en}\n`, 503, headers);
      return c.text('Not found', 404, headers);
    }
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    // Built assets carry a hash in their names; the page itself is always asked for afresh.
    const cache = rest.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-store';
    return c.body(new Uint8Array(readFileSync(file)), 200, { ...headers, 'Content-Type': type, 'Cache-Control': cache });
  };
}
