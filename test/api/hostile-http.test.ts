/**
 * Browser mode on 127.0.0.1 meets whatever a local program or a page on another port sends it:
 * malformed addresses, broken headers, bodies that are not what they say. Every request gets an
 * answer (or a closed connection), never a crash, and the station goes on answering its calls.
 */
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../api/dispatch';
import { serveBrowserMode, type WebServer } from '../../hosts/web';
import type { StationDb } from '../../db/open';
import { tempDir, tinyApi } from '../helpers';

let store: StationDb;
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
  it('answers a body that is not JSON, and every other refusal, in the shape of a refused call, and changes nothing', async () => {
    const audited = () => (store.sqlite.prepare('select count(*) as n from audit_log').get() as { n: number }).n;
    const before = audited();
    const url = `http://127.0.0.1:${web.port}/api/call`;
    const post = (body: string | Blob, headers: Record<string, string> = {}) => fetch(url, { method: 'POST', headers: { authorization: `Bearer ${web.token}`, 'content-type': 'application/json', ...headers }, body });
    const cases: [Promise<Response>, number, string][] = [
      [post('{"name":"station.info"'), 400, 'transport.not_json'],
      [post(new Blob([new Uint8Array([0xff, 0xfe, 0x00, 0x7b])])), 400, 'transport.not_json'],
      [post(''), 400, 'transport.not_json'],
      [post('x'.repeat(9 * 1024 * 1024)), 413, 'transport.too_large'],
      [fetch(url), 405, 'transport.post_only'],
      [post('{}', { authorization: 'Bearer nope' }), 401, 'transport.bad_token'],
      [post('{}', { origin: 'http://evil.example' }), 403, 'transport.foreign_page'],
    ];
    for (const [answer, status, code] of cases) {
      const res = await answer.catch(() => null);
      // An oversized body may be cut off while it is still being sent; otherwise the answer says why.
      if (!res && code === 'transport.too_large') continue;
      expect({ status: res!.status, body: (await res!.json()) as unknown }).toEqual({ status, body: { ok: false, error: { code, message: { sv: expect.any(String), en: expect.any(String) } } } });
    }
    expect(audited()).toBe(before);
    await stationAnswers();
  });

  it('tells a connection left unused past the headers timeout so with a 408, which a browser retries, not a 400', async () => {
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(web.port, '127.0.0.1');
      let out = '';
      socket.on('data', (d) => (out += d.toString('latin1')));
      socket.on('error', () => resolve(out));
      socket.on('close', () => resolve(out));
      // Closed by the station, not by the test: its headers timeout is 5 s, checked every second.
      socket.setTimeout(20_000, () => socket.destroy());
    });
    expect(status(answer)).toBe(408);
    await stationAnswers();
  }, 30_000);

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

  it('takes any bytes on its event socket without buffering them, and a message too large closes it', async () => {
    /** Opens the event socket by hand and sends `frames` after the handshake; resolves with what came back. */
    const session = (frames: Buffer) =>
      new Promise<{ upgraded: boolean; rest: Buffer }>((resolve) => {
        const socket = connect(web.port, '127.0.0.1');
        let out = Buffer.alloc(0);
        let sent = false;
        socket.on('data', (d: Buffer) => {
          out = Buffer.concat([out, d]);
          if (!sent && out.includes('\r\n\r\n')) {
            sent = true;
            // Sent and the sending side closed: a frame cut short is not waited for.
            socket.end(frames);
          }
        });
        const done = () => {
          const end = out.indexOf('\r\n\r\n');
          resolve({ upgraded: out.toString('latin1').startsWith('HTTP/1.1 101'), rest: end < 0 ? Buffer.alloc(0) : out.subarray(end + 4) });
        };
        socket.on('error', done);
        socket.on('close', done);
        socket.setTimeout(3_000, () => socket.destroy());
        socket.write(`GET /api/events?token=${web.token} HTTP/1.1\r\n${hostLine()}Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
      });
    /** A masked client frame: FIN, the opcode, a payload of `n` bytes. */
    const frame = (opcode: number, payload: Buffer, claimed = payload.length) => {
      const head: number[] = [0x80 | opcode];
      if (claimed < 126) head.push(0x80 | claimed);
      else if (claimed < 65_536) head.push(0x80 | 126, claimed >> 8, claimed & 0xff);
      else head.push(0x80 | 127, 0, 0, 0, 0, (claimed >>> 24) & 0xff, (claimed >> 16) & 0xff, (claimed >> 8) & 0xff, claimed & 0xff);
      return Buffer.concat([Buffer.from(head), Buffer.alloc(4), payload]);
    };
    // A message of 64 KiB: refused with 1009 (too big), the connection closed.
    const big = await session(frame(0x2, Buffer.alloc(65_536, 0x41)));
    expect(big.upgraded).toBe(true);
    expect(big.rest.subarray(0, 1)[0]).toBe(0x88);
    expect(big.rest.readUInt16BE(2)).toBe(1009);
    // A header claiming a gigabyte is refused as soon as it is read.
    const claimed = await session(frame(0x2, Buffer.alloc(10), 1 << 30));
    expect(claimed.rest.readUInt16BE(2)).toBe(1009);
    // Random bytes after the handshake, a few hundred times: the socket may close, the station lives.
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 200 }), async (bytes) => {
        const r = await session(Buffer.from(bytes));
        expect(r.upgraded).toBe(true);
      }),
      { numRuns: 300 },
    );
    await stationAnswers();
  }, 120_000);
});
