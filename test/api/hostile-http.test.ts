/**
 * Browser mode on 127.0.0.1 meets whatever a local program or a page on another port sends it:
 * malformed addresses, broken headers, bodies that are not what they say. Every request gets an
 * answer (or a closed connection), never a crash, and the station goes on answering its calls.
 */
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../api/dispatch';
import { serveBrowserMode, type WebServer } from '../../api/web';
import type { Store } from '../../db/open';
import { tempDir, tinyApi } from '../helpers';

let store: Store;
let api: Api;
let web: WebServer;

beforeAll(async () => {
  ({ store, api } = tinyApi());
  web = await serveBrowserMode({ api, rendererDir: tempDir(), port: 0 });
});
afterAll(async () => {
  await web.close();
  store.close();
});

/** Sends raw bytes on a connection of their own and returns whatever comes back before it closes. */
function raw(bytes: Buffer | string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(web.port, '127.0.0.1');
    let out = '';
    socket.on('data', (d) => (out += d.toString('latin1')));
    socket.on('error', () => resolve(out));
    socket.on('close', () => resolve(out));
    socket.setTimeout(3_000, () => socket.destroy());
    socket.end(bytes);
  });
}

const status = (answer: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
const hostLine = () => `Host: 127.0.0.1:${web.port}\r\n`;

async function stationAnswers(): Promise<void> {
  const body = JSON.stringify({ name: 'station.info', input: {} });
  const answer = await raw(
    `POST /api/call HTTP/1.1\r\n${hostLine()}Authorization: Bearer ${web.token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  expect(status(answer)).toBe(200);
  expect(answer).toContain('"ok":true');
}

describe('browser mode under hostile input', () => {
  it('answers a malformed address with 400 and lives', async () => {
    for (const path of ['/%E0%A4%A', '/%', '/%ZZ', '/a%00b', '/%C0%AF..%C0%AF..%C0%AFetc/passwd', '//evil.example/%E0']) {
      const answer = await raw(`GET ${path} HTTP/1.1\r\n${hostLine()}Connection: close\r\n\r\n`);
      expect(status(answer), path).toBe(400);
    }
    // The same through a WebSocket upgrade.
    const up = await raw(`GET /api/events%E0%A4%A?token=${web.token} HTTP/1.1\r\n${hostLine()}Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    expect(status(up)).toBe(401);
    await stationAnswers();
  });

  it('survives thousands of random requests and still answers its calls', async () => {
    const method = fc.constantFrom('GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'BREW', 'G\u00e9T', '');
    const path = fc.oneof(
      fc.constantFrom('/', '/api/call', '/api/events', '/index.html', '/../../etc/passwd', '/%2e%2e/%2e%2e/', '/%E0%A4%A', '/%', '*', 'http://x/', '/\u00e5\u00e4\u00f6'),
      fc.string({ maxLength: 60 }).map((s) => `/${encodeURI(s)}`),
      fc.stringMatching(/^\/[%A-Za-z0-9./?=&#-]{0,40}$/),
    );
    const header = fc.oneof(
      fc.constant(''),
      fc.constantFrom('Content-Length: -1\r\n', 'Content-Length: 99999999999\r\n', 'Content-Length: abc\r\n', 'Transfer-Encoding: chunked\r\n', 'Content-Encoding: gzip\r\n', `Authorization: Bearer ${'x'.repeat(300)}\r\n`, 'Origin: http://evil.example\r\n', 'X: \u0000\r\n'),
      fc.tuple(fc.stringMatching(/^[A-Za-z-]{1,20}$/), fc.string({ maxLength: 40 })).map(([k, v]) => `${k}: ${v.replace(/[\r\n]/g, '')}\r\n`),
    );
    const body = fc.oneof(fc.constant(''), fc.string({ maxLength: 200 }), fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')), fc.constant('{"name":"station.info"'));
    const request = fc.record({ method, path, headers: fc.array(header, { maxLength: 4 }), body, withToken: fc.boolean(), rightHost: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const token = r.withToken ? `Authorization: Bearer ${web.token}\r\n` : '';
        const host = r.rightHost ? hostLine() : 'Host: evil.example\r\n';
        const answer = await raw(Buffer.from(`${r.method} ${r.path} HTTP/1.1\r\n${host}${token}${r.headers.join('')}Content-Length: ${Buffer.byteLength(r.body, 'latin1')}\r\nConnection: close\r\n\r\n${r.body}`, 'latin1'));
        // Never a failure of the station's own (a 500): either an answer it meant, or a closed connection.
        expect(status(answer) === 0 || status(answer) < 500 || status(answer) === 503).toBe(true);
      }),
      { numRuns: 2_000 },
    );
    await stationAnswers();
  }, 120_000);
});
