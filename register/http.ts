/**
 * The register's HTTP face (hono on Node's http server). Every route but `/health` and `/enrol`
 * needs a station's bearer token. Bodies of the sync routes are gzipped JSON; a full copy is
 * streamed as frames of gzipped lines. Plain HTTP on the address it is told (127.0.0.1 by default):
 * TLS is terminated in front of it (a reverse proxy), which passes the Authorization header on.
 */
import { serve, type ServerType } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { PassThrough, Readable, type Writable } from 'node:stream';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { auditPush, frame, pack, pushRequest, SNAPSHOT_CONTENT_TYPE, type AuditTuple, type PushRequest } from '../db/sync/wire';
import { columnsAccepted, columnsContentType, CopyEncoder, headerFrame } from '../db/sync/columns';
import { APP_VERSION_PATTERN, VERSION_HEADER } from '../vocabulary/version';
import { CONSOLE_SCHEMAS, consoleApi, type ConsoleOptions } from './console/api';
import { consoleFiles } from './console/static';
import { RegisterError, type Register, type StationRecord } from './register';

type Env = { Variables: { station: StationRecord } };

const unauthorised = {
  code: 'register.unauthorised',
  message: {
    sv: 'Stationen är inte inskriven i registret, eller så har dess behörighet dragits in. Be en administratör om en ny inskrivningskod.',
    en: 'This station is not enrolled with the register, or its access was revoked. Ask an administrator for a new enrolment code.',
  },
};

const gz = (c: Context, value: unknown, status: 200 | 409 = 200) =>
  c.body(new Uint8Array(pack(value)), status, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });

const inflate = promisify(gunzip);

/** The most a request body may hold, sent and unpacked: the public enrolment needs a line, a station's push a large batch. */
export const BODY_LIMITS = { enrol: 16 * 1024, sync: 64 * 1024 * 1024 } as const;

const tooLarge = () =>
  new RegisterError(
    'register.too_large',
    { sv: 'Förfrågan är för stor för registret. Skicka mindre åt gången.', en: 'The request is too large for the register. Send less at a time.' },
    413,
  );

/**
 * A request's JSON body, unpacked off the event loop and never beyond `limit` bytes: a small body
 * that unpacks to gigabytes (a gzip bomb) is refused as too large, not unpacked.
 */
async function body<T>(c: Context, limit: number): Promise<T> {
  const raw = Buffer.from(await c.req.arrayBuffer());
  if (raw.length > limit) throw tooLarge();
  let text: string;
  if (c.req.header('content-encoding') === 'gzip') {
    try {
      text = (await inflate(raw, { maxOutputLength: limit })).toString('utf8');
    } catch (e) {
      if (e instanceof RangeError || (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
      throw new SyntaxError('not gzip', { cause: e });
    }
  } else text = raw.toString('utf8');
  return JSON.parse(text) as T;
}

/** How long a full copy waits for a station that reads none of it, by default. */
export const COPY_STALL_MS = 60_000;

export interface RegisterHttpOptions {
  /**
   * Addresses of the proxies in front of the register (a TLS-terminating one): from them, the
   * client is the last address in `X-Forwarded-For`, which that proxy added. From anyone else the
   * header is not believed.
   */
  trustProxy?: readonly string[];
  /**
   * How long a full copy waits for a station that reads none of it before it is ended (default a
   * minute): a station that stopped reading without closing its connection holds no database
   * connection longer. It asks again when it is back.
   */
  copyStallMs?: number;
  /** The console at `/console/`: its fleet view's threshold, its clock, and where its built files are (`out/console`). */
  console?: ConsoleOptions & { dir?: string };
}

/** Who is asking: the connection's address, or behind a trusted proxy the address it forwarded for. */
function clientAddress(c: Context, trustProxy: readonly string[]): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  const peer = incoming?.socket?.remoteAddress ?? 'unknown';
  if (!trustProxy.includes(peer)) return peer;
  const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
  return forwarded && forwarded.length <= 64 ? forwarded : peer;
}

/** At most `perMinute` requests a minute from one address to a public route (enrolment codes are not for guessing). */
function rateLimit(perMinute: number, trustProxy: readonly string[]) {
  const seen = new Map<string, { start: number; n: number }>();
  return async (c: Context, next: () => Promise<void>) => {
    const who = clientAddress(c, trustProxy);
    const now = Date.now();
    const w = seen.get(who);
    if (!w || now - w.start >= 60_000) seen.set(who, { start: now, n: 1 });
    else if (++w.n > perMinute)
      return c.json({ error: { code: 'register.slow_down', message: { sv: 'För många försök. Vänta en minut och försök igen.', en: 'Too many attempts. Wait a minute and try again.' } } }, 429);
    if (seen.size > 10_000) for (const [k, v] of seen) if (now - v.start >= 60_000) seen.delete(k);
    await next();
  };
}

export function registerApp(register: Register, options: RegisterHttpOptions = {}): Hono<Env> {
  const app = new Hono<Env>();
  const copyStallMs = options.copyStallMs ?? COPY_STALL_MS;
  /** The copy each station is being sent, or waits its turn for: how to end it. */
  const copying = new Map<string, { hangUp(): void }>();

  app.onError((e, c) => {
    if (e instanceof RegisterError) return c.json({ error: { code: e.code, message: e.userMessage } }, e.status as 400);
    if (e instanceof z.ZodError || e instanceof SyntaxError)
      return c.json({ error: { code: 'register.bad_request', message: { sv: 'Felaktig förfrågan.', en: 'Malformed request.' } } }, 400);
    console.error(e);
    return c.json({ error: { code: 'register.failed', message: { sv: 'Registret kunde inte utföra det. Försök igen.', en: 'The register could not do that. Try again.' } } }, 500);
  });

  app.get('/health', (c) => c.json({ ok: true, epoch: register.epoch }));

  // The console: its API for signed-in administrators and supervisors, and its page.
  app.route('/console/api', consoleApi(register, options.console));
  const files = consoleFiles(options.console?.dir);
  app.get('/console', (c) => c.redirect('/console/', 301));
  app.get('/console/*', files);

  /** The version each station last said it runs, written when it changes. */
  const versions = new Map<string, string>();
  const noteVersion = async (stationId: string, version: string | undefined) => {
    if (version === undefined || !APP_VERSION_PATTERN.test(version) || versions.get(stationId) === version) return;
    await register.db.run('update stations set version = $1 where id = $2', [version, stationId]);
    versions.set(stationId, version);
  };

  const limited = (maxSize: number) => bodyLimit({ maxSize, onError: () => { throw tooLarge(); } });
  app.post('/enrol', rateLimit(20, options.trustProxy ?? []), limited(BODY_LIMITS.enrol), async (c) => {
    const { code } = CONSOLE_SCHEMAS.enrol.parse(await body(c, BODY_LIMITS.enrol));
    return c.json(await register.enrol(code));
  });

  app.use('/sync/*', async (c, next) => {
    const auth = c.req.header('authorization');
    const station = await register.authenticate(auth?.startsWith('Bearer ') ? auth.slice(7) : undefined);
    if (!station) return c.json({ error: unauthorised }, 401);
    c.set('station', station);
    await noteVersion(station.id, c.req.header(VERSION_HEADER));
    await next();
  });
  app.use('/sync/*', limited(BODY_LIMITS.sync));

  app.get('/sync/me', (c) => c.json(c.get('station')));

  /** The region's PIN pepper, for a station enrolled before it was handed over at enrolment. */
  app.get('/sync/pepper', (c) => {
    const pepper = register.pinPepper();
    return pepper ? c.json({ pepper: pepper.toString('hex') }) : c.json({ error: { code: 'register.no_pepper', message: { sv: 'Registret har ingen PIN-nyckel.', en: 'The register has no PIN key.' } } }, 404);
  });

  app.post('/sync/push', async (c) => {
    const request = pushRequest.parse(await body<PushRequest>(c, BODY_LIMITS.sync)) as PushRequest;
    const result = await register.push(c.get('station'), request.entries);
    return gz(c, result, result.gap ? 409 : 200);
  });

  app.post('/sync/audit', async (c) => {
    const { entries, key, head } = auditPush.parse(await body(c, BODY_LIMITS.sync));
    return gz(c, await register.receiveAudit(c.get('station'), entries as AuditTuple[], key, head));
  });

  app.get('/sync/pull', async (c) => {
    const q = z
      .object({
        epoch: z.string().optional(),
        cursor: z.coerce.number().int().nonnegative(),
        limit: z.coerce.number().int().min(1).max(20_000).default(5_000),
        scope: z.literal('site').optional(),
      })
      .parse(c.req.query());
    return gz(c, await register.pull(c.get('station'), q.epoch ?? null, q.cursor, q.limit, q.scope === 'site'));
  });

  /** Devices as they stand, by id (at most 1,000), for a depot whose new copy no longer carries devices it held. */
  app.post('/sync/devices', async (c) => {
    const { ids } = z.object({ ids: z.array(z.string().min(1).max(64)).min(1).max(1_000) }).strict().parse(await body(c, BODY_LIMITS.sync));
    return gz(c, { devices: await register.devicesByIds(ids) });
  });

  /** One device as it stands, by the code scanned, for a depot whose own copy does not hold it. */
  app.get('/sync/device', async (c) => {
    const q = z.object({ code: z.string().min(1).max(200) }).strict().parse(c.req.query());
    return gz(c, { device: await register.deviceByCode(q.code) });
  });

  /** One device's whole history, for a station's timeline. */
  app.get('/sync/history', async (c) => {
    const q = z.object({ individual: z.string().min(1).max(64) }).strict().parse(c.req.query());
    return gz(c, { movements: await register.deviceHistory(q.individual) });
  });

  /**
   * A full copy: columnar frames when the station names their type in `Accept`, otherwise frames of
   * JSON lines (a station of an earlier version). Columnar frames are packed off the main thread, a
   * few ahead of the one being sent, while the next rows are read.
   */
  app.get('/sync/snapshot', (c) => {
    // The newest edition of columns the station reads (null: JSON lines).
    const columns = columnsAccepted(c.req.header('accept'));
    // A depot's station asks for its own site's copy (a station that reads columns knows what that means).
    const { scope } = z.object({ scope: z.literal('site').optional() }).strict().parse(c.req.query());
    const out = new PassThrough();
    // Ending a copy the station is not reading closes its connection, as if the station had (so the
    // answer is not left half-written, and nothing is written into it after).
    const response = (c.env as { outgoing?: Writable } | undefined)?.outgoing;
    const hangUp = () => {
      if (response && !response.destroyed) response.destroy();
      else out.destroy();
    };
    const send = (b: Buffer) => sendToStation(out, b, copyStallMs, hangUp);
    // One copy per station: a station that asks again has given up the copy it asked for before, which ends.
    const stationId = c.get('station').id;
    copying.get(stationId)?.hangUp();
    const mine = { hangUp };
    copying.set(stationId, mine);
    // A station gone while its copy waits its turn leaves the line.
    const gone = new AbortController();
    out.once('close', () => {
      gone.abort(new Error('the station stopped reading its copy'));
      if (copying.get(stationId) === mine) copying.delete(stationId);
    });
    if (columns) {
      const station = c.get('station');
      const siteAsked = scope === 'site';
      // A station that reads the second edition saves the copy as it comes (master data and
      // movements in turns); that copy is kept once made and given again while it fits.
      const keeps = columns === 2;
      const madeAt = register.now();
      const made: Buffer[] = [];
      const encoder = new CopyEncoder(columns);
      const packing: Promise<Buffer>[] = [];
      const sendOne = async () => {
        const f = await packing.shift()!;
        if (keeps) made.push(f);
        await send(f);
      };
      const queue = (frames: Promise<Buffer>[]) => {
        // A frame that fails is reported when its turn comes, not as an unhandled rejection before.
        for (const f of frames) f.catch(() => undefined);
        packing.push(...frames);
      };
      void (async () => {
        const given = keeps ? await register.madeCopy(station, siteAsked) : null;
        if (given) {
          for (const f of given) await send(f);
          out.end();
          return;
        }
        const header = await register.snapshotBatches(
          {
            async header(h) {
              const f = await headerFrame(h);
              if (keeps) made.push(f);
              await send(f);
            },
            async batch(b) {
              queue(encoder.frames(b));
              while (packing.length > 3) await sendOne();
            },
          },
          station,
          siteAsked,
          keeps,
          gone.signal,
        );
        queue(encoder.end());
        while (packing.length > 0) await sendOne();
        if (keeps) register.keepMadeCopy(header, made, madeAt);
        out.end();
      })().catch((e: unknown) => out.destroy(e as Error));
      return new Response(Readable.toWeb(out) as ReadableStream, { headers: { 'Content-Type': columnsContentType(columns), Vary: 'Accept' } });
    }
    let lines: string[] = [];
    let size = 0;
    let started = false;
    const flush = async () => {
      if (lines.length === 0) return;
      const f = frame(lines);
      lines = [];
      size = 0;
      await send(f);
    };
    void register
      .snapshot((line) => {
        lines.push(line);
        size += line.length;
        // The header goes in a frame of its own, so a station knows the totals at once.
        if (size > 1 << 20 || !started) {
          started = true;
          return flush();
        }
      }, gone.signal)
      .then(async () => {
        await flush();
        out.end();
      })
      .catch((e: unknown) => out.destroy(e as Error));
    return new Response(Readable.toWeb(out) as ReadableStream, { headers: { 'Content-Type': SNAPSHOT_CONTENT_TYPE, Vary: 'Accept' } });
  });

  return app;
}

/** A copy's bytes are written in pieces this large, so each wait for room is for this much read. */
const COPY_PIECE = 16 * 1024;

/**
 * Writes a copy's bytes to the station in pieces, each waiting for room (`drainedOrGone`): a
 * station that reads slowly but steadily gets its copy whole, however large a frame.
 */
export async function sendToStation(out: Writable, bytes: Buffer, stallMs: number, hangUp: () => void = () => out.destroy()): Promise<void> {
  for (let at = 0; at < bytes.length; at += COPY_PIECE) if (!out.write(bytes.subarray(at, at + COPY_PIECE))) await drainedOrGone(out, stallMs, hangUp);
}

/**
 * Resolves when a copy's answer has room again. Fails once it is closed (the station went away),
 * or, closing it, when the station has read nothing of it for `stallMs` (a piece of a copy is
 * 16 KiB, so that is a line slower than a few hundred bytes a second): the copy's read then ends
 * and frees its database connection instead of waiting for room that may never come.
 */
export function drainedOrGone(out: Writable, stallMs: number, hangUp: () => void = () => out.destroy()): Promise<void> {
  if (out.destroyed) return Promise.reject(new Error('the station stopped reading its copy'));
  return new Promise((resolve, reject) => {
    const settle = (e?: Error) => {
      clearTimeout(timer);
      out.off('drain', drained);
      out.off('close', gone);
      if (e) reject(e);
      else resolve();
    };
    const drained = () => settle();
    const gone = () => settle(new Error('the station stopped reading its copy'));
    const timer = setTimeout(() => {
      settle(new Error(`the station read nothing of its copy for ${stallMs} ms`));
      hangUp();
    }, stallMs);
    out.once('drain', drained);
    out.once('close', gone);
  });
}

export interface RunningRegister {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves the register on `host:port` (port 0 picks a free one). */
export async function serveRegister(register: Register, options: { host?: string; port?: number } & RegisterHttpOptions = {}): Promise<RunningRegister> {
  const app = registerApp(register, options);
  // Stopping lets requests under way finish (their transactions commit or roll back) before the database closes.
  let inFlight = 0;
  let closing = false;
  const fetchWithCount: typeof app.fetch = async (...args) => {
    if (closing) return new Response(null, { status: 503 });
    inFlight++;
    try {
      return await app.fetch(...args);
    } finally {
      inFlight--;
    }
  };
  const server: ServerType = serve({ fetch: fetchWithCount, hostname: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  if (!server.listening) await once(server, 'listening');
  const { port, address } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    port,
    close: async () => {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (let waited = 0; inFlight > 0 && waited < 10_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      await closed;
    },
  };
}
