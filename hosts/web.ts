/**
 * Browser mode: the same contract over HTTP (calls) and WebSocket (push events), bound to
 * 127.0.0.1 only and guarded by a token made anew at every launch. Also serves the built renderer.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer } from 'ws';
import type { ApiResult, CallEnvelope } from '../api/contract';
import { SOMETHING_WENT_WRONG } from '../vocabulary/errors';
import { CONTENT_SECURITY_POLICY } from './csp';
import type { Api } from '../api/dispatch';

/** Connections browser mode keeps open at once: a station's window needs a handful (its calls and one event socket). */
export const MAX_CONNECTIONS = 64;

export interface WebServer {
  url: string;
  /** The URL with the launch token, to open in a browser. */
  openUrl: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export interface WebOptions {
  api: Api;
  rendererDir: string;
  port?: number;
  host?: '127.0.0.1';
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.wav': 'audio/wav',
};

const MAX_BODY = 8 * 1024 * 1024;

/** What browser mode answers a request it cannot take, in Swedish and English, before any call runs. */
export const REFUSALS = {
  bad_request: { sv: 'Anropet gick inte att läsa. Läs in sidan igen.', en: 'The request could not be read. Reload the page.' },
  foreign_page: { sv: 'Anropet kom från en annan sida än stationens och tas inte emot.', en: "The request came from a page other than the station's and is not taken." },
  bad_address: { sv: 'Adressen gick inte att läsa. Öppna adressen som stationen skrev ut när den startade.', en: 'The address could not be read. Open the address the station printed when it started.' },
  post_only: { sv: 'Stationens anrop skickas med POST.', en: "The station's calls are sent with POST." },
  method: { sv: 'Sidorna hämtas med GET.', en: 'The pages are fetched with GET.' },
  bad_token: { sv: 'Sidan saknar stationens startnyckel. Öppna adressen som stationen skrev ut när den startade.', en: 'This page lacks the station launch token. Open the address the station printed when it started.' },
  too_large: { sv: 'Anropet är för stort (högst 8 MB) och tas inte emot.', en: 'The request is too large (at most 8 MB) and is not taken.' },
  not_json: { sv: 'Anropet är inte giltig JSON ({"name", "input", "session"}) och tas inte emot; inget har ändrats.', en: 'The request is not valid JSON ({"name", "input", "session"}) and is not taken; nothing has changed.' },
  internal: SOMETHING_WENT_WRONG,
} as const;

/** A refusal as an `ApiResult`: the code is `transport.<why>`. */
export const refusalOf = (why: keyof typeof REFUSALS): ApiResult<never> => ({ ok: false, error: { code: `transport.${why}`, message: REFUSALS[why] } });

export function serveBrowserMode(options: WebOptions): Promise<WebServer> {
  const { api, rendererDir } = options;
  const host = options.host ?? '127.0.0.1';
  const token = randomBytes(24).toString('base64url');
  const tokenBuf = Buffer.from(token);
  let port = 0;

  const tokenOk = (given: string | null | undefined) => {
    const b = Buffer.from(given ?? '');
    return b.length === tokenBuf.length && timingSafeEqual(b, tokenBuf);
  };
  // Refuse requests addressed to another host name (DNS rebinding) or sent from another origin.
  const hostOk = (req: IncomingMessage) => req.headers.host === `${host}:${port}` || req.headers.host === `localhost:${port}`;
  const originOk = (req: IncomingMessage) => {
    const o = req.headers.origin;
    return o === undefined || o === `http://${host}:${port}` || o === `http://localhost:${port}`;
  };

  const send = (res: ServerResponse, status: number, body: string, type = 'application/json') => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    res.end(body);
  };
  /** A refusal, in the shape of every other: `{ ok: false, error: { code, message } }`. */
  const refuse = (res: ServerResponse, status: number, refusal: keyof typeof REFUSALS) => send(res, status, JSON.stringify(refusalOf(refusal)));

  /** The request's URL and path, or null when it cannot be read (a malformed address is the client's fault, never the station's). */
  const parse = (req: IncomingMessage): { url: URL; path: string } | null => {
    try {
      const url = new URL(req.url ?? '/', `http://${host}:${port}`);
      return { url, path: decodeURIComponent(url.pathname) };
    } catch {
      return null;
    }
  };

  // A connection that says nothing is closed within seconds, and no program can hold more than a
  // window's few: the station's file handles are for its database, its backups and its printers.
  const server = createServer({ headersTimeout: 5_000, requestTimeout: 60_000, keepAliveTimeout: 5_000, connectionsCheckingInterval: 1_000 }, (req, res) => {
    // Whatever a client sends, the station answers it and goes on: a broken request never takes it down.
    req.on('error', () => undefined);
    try {
      handle(req, res);
    } catch (e) {
      console.error('browser mode: a request failed', e);
      if (!res.headersSent) refuse(res, 400, 'bad_request');
      else res.destroy();
    }
  });
  server.maxConnections = MAX_CONNECTIONS;
  server.on('clientError', (e: NodeJS.ErrnoException, socket) => {
    // A connection the browser opened ahead and left unused past the headers' timeout is told so
    // with a 408, which a browser answers by sending its request again on a new connection (as a 400
    // it would show a window that reloaded at that moment "the station does not answer").
    const status = e.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    else socket.destroy();
  });

  function handle(req: IncomingMessage, res: ServerResponse): void {
    if (!hostOk(req) || !originOk(req)) return refuse(res, 403, 'foreign_page');
    const parsed = parse(req);
    if (!parsed) return refuse(res, 400, 'bad_address');
    const { url, path } = parsed;
    if (url.pathname === '/api/call') {
      if (req.method !== 'POST') return refuse(res, 405, 'post_only');
      const auth = req.headers.authorization ?? '';
      if (!tokenOk(auth.startsWith('Bearer ') ? auth.slice(7) : null)) return refuse(res, 401, 'bad_token');
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) {
          refuse(res, 413, 'too_large');
          req.destroy();
        } else chunks.push(c);
      });
      req.on('end', () => {
        if (res.headersSent) return;
        let envelope: CallEnvelope;
        try {
          envelope = JSON.parse(Buffer.concat(chunks).toString('utf8')) as CallEnvelope;
        } catch {
          return refuse(res, 400, 'not_json');
        }
        api.call(envelope).then(
          (result) => send(res, 200, JSON.stringify(result)),
          (e: unknown) => {
            console.error('browser mode: a call failed', e);
            if (!res.headersSent) refuse(res, 500, 'internal');
          },
        );
      });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method');
    // Static renderer files; anything unknown gets index.html (the app routes itself).
    if (path.includes('\0')) return refuse(res, 400, 'bad_address');
    let file = normalize(join(rendererDir, path));
    if (!file.startsWith(normalize(rendererDir + sep)) && file !== normalize(rendererDir)) return refuse(res, 403, 'bad_address');
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(rendererDir, 'index.html');
    if (!existsSync(file)) return send(res, 503, 'The renderer is not built. Run `npm run build`.', 'text/plain; charset=utf-8');
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`,
      'x-content-type-options': 'nosniff',
      'cache-control': file.endsWith('index.html') ? 'no-store' : 'max-age=3600',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  }

  // The page only listens on this socket: anything it sends is at most a few bytes, never buffered beyond that.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096, perMessageDeflate: false });
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => undefined);
    const url = parse(req)?.url;
    if (!url || url.pathname !== '/api/events' || !hostOk(req) || !originOk(req) || !tokenOk(url.searchParams.get('token'))) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const off = api.events.subscribe((event) => ws.send(JSON.stringify(event)));
      ws.on('close', off);
      ws.on('error', off);
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      port = (server.address() as AddressInfo).port;
      const url = `http://${host}:${port}/`;
      resolve({
        url,
        openUrl: `${url}#token=${token}`,
        port,
        token,
        close: () =>
          new Promise<void>((done) => {
            for (const c of wss.clients) c.terminate();
            wss.close();
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
