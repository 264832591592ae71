/**
 * The console's API, mounted by the register at `/console/api`: administrators and supervisors
 * sign in with the same user and PIN as at a station (checked against the register's users with
 * the region's pepper), and get a session in an HttpOnly, SameSite=Strict cookie. Every write must
 * carry the console's own header (`X-Depot-Console`), which a page of another site cannot send
 * without the register's leave; every input is checked with zod; every answer is
 * `{ ok: true, value }` or `{ ok: false, error: { code, message: { sv, en } } }`.
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { verifyPin, PEPPERED } from '../../db/users/pins';
import { BADGE_CODE } from '../../vocabulary/codes/decode';
import { ROLES, TRACKING } from '../../vocabulary/domain';
import type { UserMessage } from '../../vocabulary/errors';
import { RegisterError } from '../context';
import type { Register } from '../register';
import { lockedMessage, REFUSALS } from './messages';
import { ConsoleSessions } from './sessions';
import * as store from './store';
import { importUploaded } from './import';
import type { ConsoleUser } from './store';

export interface ConsoleOptions {
  /** A station not heard from for longer than this is flagged silent in the fleet view (default a day). */
  silentAfterMs?: number;
  /** The clock (tests set it). */
  now?: () => number;
}

export const CONSOLE_COOKIE = 'depot_console';
/** The header every write from the console carries: another site's page cannot send it. */
export const CONSOLE_HEADER = 'X-Depot-Console';
/** The most a console request's body may hold. */
export const CONSOLE_BODY_LIMIT = 16 * 1024;
export const DEFAULT_SILENT_AFTER_MS = 24 * 60 * 60_000;

type Env = { Variables: { user: ConsoleUser; token: string } };

const refuse = (c: Context, status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 423 | 429 | 500, code: string, message: UserMessage) =>
  c.json({ ok: false as const, error: { code, message } }, status);

const ok = <T>(c: Context, value: T) => c.json({ ok: true as const, value });

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_:.|-]+$/);
const pin = z.string().regex(/^\d{4,8}$/);
const signInInput = z.union([z.object({ userId: id, pin }).strict(), z.object({ badge: z.string().regex(BADGE_CODE), pin }).strict()]);
const codeInput = z.object({ siteId: id, stationName: z.string().trim().min(2).max(60) }).strict();
const userInput = z
  .object({
    name: z.string().trim().min(2).max(80),
    role: z.enum(ROLES),
    siteId: id.nullable(),
    badge: z
      .string()
      .trim()
      .toUpperCase()
      .max(16)
      .nullable()
      .transform((b) => (b === '' ? null : b))
      .refine((b) => b === null || BADGE_CODE.test(b)),
  })
  .strict();
const activeInput = z.object({ active: z.boolean() }).strict();
/** Text of a master data field: bounded here, its own limits and words in the shared rules. */
const field = (max: number) => z.string().max(max);
const optionalField = (max: number) => z.string().max(max).nullable();
/** An article as the console edits it (a price in öre); the rules a station applies judge it. */
const articleInput = z
  .object({
    articleNumber: field(64),
    name: field(200),
    isoCode: field(16),
    supplier: field(120),
    unit: field(24),
    purchasePrice: z.number().int().min(0).max(100_000_000),
    rentable: z.boolean(),
    tracking: z.enum(TRACKING),
    equivalenceGroup: optionalField(100),
    gtins: z.array(field(32)).max(20),
    hibc: z.array(field(32)).max(20),
  })
  .strict();
const weekday = z.number().int().min(1).max(5);
/** A site as an administrator changes it: its code and kind are not among what may change. */
const siteInput = z
  .object({
    name: field(120),
    municipality: field(100),
    address: optionalField(160),
    postcode: optionalField(16),
    town: optionalField(100),
    route: optionalField(100),
    deliveryWeekday: weekday.nullable(),
  })
  .strict();
const pointFields = {
  name: field(120),
  address: field(160),
  postcode: field(16),
  town: field(100),
  municipality: field(100),
  route: field(100),
  weekday,
};
const pointCreateInput = z.object({ siteId: id, ...pointFields }).strict();
/** What changes of a delivery point (what is left out stays); `retired` retires it or brings it back. */
const pointChangeInput = z
  .object({ ...pointFields, retired: z.boolean() })
  .partial()
  .strict();
const empty = z.object({}).strict();
/** The public enrolment's body (`POST /enrol`, in http.ts): a code an administrator issued here. */
const enrolInput = z.object({ code: z.string().min(4).max(64) });

/** The bodies the register's routes take, for its reference (register/endpoints.ts). */
/** The most an import's files may be, base64 in JSON (about 36 MB of files). */
export const IMPORT_BODY_LIMIT = 48 * 1024 * 1024;
const importInput = z
  .object({
    apply: z.boolean(),
    encoding: z.enum(['utf-8', 'windows-1252']).optional(),
    files: z
      .array(z.object({ name: z.string().regex(/^[^/\\]{1,120}\.(csv|txt|xlsx)$/i), content: z.base64().max(IMPORT_BODY_LIMIT) }).strict())
      .min(1)
      .max(3),
  })
  .strict();

export const CONSOLE_SCHEMAS = {
  import: importInput,
  enrol: enrolInput,
  signIn: signInInput,
  enrolmentCode: codeInput,
  user: userInput,
  active: activeInput,
  article: articleInput,
  site: siteInput,
  deliveryPoint: pointCreateInput,
  deliveryPointChange: pointChangeInput,
} as const;

const CONSOLE_ROLES = new Set(['admin', 'supervisor']);

/** A request's Origin, when the browser sends one, names the register itself (the host the page was loaded from). */
function sameOrigin(origin: string | undefined, hosts: readonly (string | undefined)[]): boolean {
  if (origin === undefined) return true;
  try {
    const from = new URL(origin).host;
    return hosts.some((h) => h !== undefined && h === from);
  } catch {
    return false;
  }
}

export function consoleApi(register: Register, options: ConsoleOptions = {}): Hono<Env> {
  const now = options.now ?? Date.now;
  const silentAfterMs = options.silentAfterMs ?? DEFAULT_SILENT_AFTER_MS;
  const sessions = new ConsoleSessions(register.db);
  const api = new Hono<Env>();

  api.onError((e, c) => {
    if (e instanceof RegisterError) return refuse(c, e.status as 400, e.code, e.userMessage);
    if (e instanceof z.ZodError || e instanceof SyntaxError) return refuse(c, 400, 'console.bad_request', REFUSALS.badRequest);
    console.error(e);
    return refuse(c, 500, 'console.failed', REFUSALS.failed);
  });

  // Writes: the console's header, JSON, and never more than the limit.
  api.use('*', async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      if (c.req.header(CONSOLE_HEADER) !== '1') return refuse(c, 403, 'console.csrf', REFUSALS.csrf);
      if (!sameOrigin(c.req.header('origin'), [c.req.header('host'), c.req.header('x-forwarded-host')])) return refuse(c, 403, 'console.csrf', REFUSALS.csrf);
      if (!(c.req.header('content-type') ?? '').startsWith('application/json')) return refuse(c, 415, 'console.bad_request', REFUSALS.badRequest);
    }
    await next();
    c.header('Cache-Control', 'no-store');
  });
  // The region's files for an import are larger than any other write.
  const limits = {
    plain: bodyLimit({ maxSize: CONSOLE_BODY_LIMIT, onError: (c) => refuse(c, 413, 'console.too_large', REFUSALS.tooLarge) }),
    files: bodyLimit({ maxSize: IMPORT_BODY_LIMIT, onError: (c) => refuse(c, 413, 'console.too_large', REFUSALS.tooLarge) }),
  };
  api.use('*', (c, next) => (c.req.path.endsWith('/import') ? limits.files(c, next) : limits.plain(c, next)));

  const input = async <T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> => {
    const text = await c.req.text();
    if (text.length > CONSOLE_BODY_LIMIT) throw new RegisterError('console.too_large', REFUSALS.tooLarge, 413);
    return schema.parse(text === '' ? {} : JSON.parse(text));
  };

  // ---- signing in ------------------------------------------------------------------------------

  api.get('/sign-in/users', async (c) => ok(c, await store.consoleSignInList(register)));

  api.post('/session', async (c) => {
    const body = await input(c, signInInput);
    const at = now();
    const user = 'userId' in body ? await store.userById(register, body.userId) : await store.userByBadge(register, body.badge);
    if (!user || !user.active) return refuse(c, 401, 'console.wrong_pin', REFUSALS.wrongPin);
    const locked = await sessions.lockedUntil(user.id, at);
    if (locked !== null) return refuse(c, 423, 'console.locked', lockedMessage(locked, at));
    if (user.role === 'prescriber' || user.pinHash === 'none') return refuse(c, 401, 'console.no_pin', user.role === 'prescriber' ? REFUSALS.notForConsole : REFUSALS.noPinYet);
    const pepper = register.pinPepper();
    if (!pepper && user.pinHash.startsWith(`${PEPPERED}$`)) return refuse(c, 409, 'console.no_pepper', REFUSALS.noPepper);
    if (!verifyPin(body.pin, user.pinHash, () => pepper!)) {
      const until = await sessions.failed(user.id, at);
      return until !== null ? refuse(c, 423, 'console.locked', lockedMessage(until, at)) : refuse(c, 401, 'console.wrong_pin', REFUSALS.wrongPin);
    }
    await sessions.succeeded(user.id);
    if (!CONSOLE_ROLES.has(user.role)) return refuse(c, 403, 'console.not_for_role', REFUSALS.notForConsole);
    const who: ConsoleUser = { id: user.id, name: user.name, role: user.role as ConsoleUser['role'], siteId: user.siteId };
    const token = await sessions.start(who.id, at);
    const secure = new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
    setCookie(c, CONSOLE_COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/console', secure });
    await store.recordAudit(register, who, 'console.sign_in', user.id, undefined, at);
    return ok(c, { user: who });
  });

  // Everything below needs a session of an active administrator or supervisor.
  api.use('*', async (c, next) => {
    const token = getCookie(c, CONSOLE_COOKIE);
    const session = await sessions.find(token, now());
    if (!session) return refuse(c, 401, 'console.signed_out', REFUSALS.signedOut);
    // As at a station: a user deactivated (or no longer in a console role) is signed out at their next call.
    const user = await store.userById(register, session.userId);
    if (!user || !user.active || !CONSOLE_ROLES.has(user.role)) {
      await sessions.endFor(session.userId);
      return refuse(c, 401, 'console.signed_out', REFUSALS.signedOut);
    }
    c.set('user', { id: user.id, name: user.name, role: user.role as ConsoleUser['role'], siteId: user.siteId });
    c.set('token', token!);
    await next();
  });

  const admin = (c: Context<Env>): ConsoleUser => {
    const user = c.get('user');
    if (user.role !== 'admin') throw new RegisterError('console.forbidden', REFUSALS.forbidden, 403);
    return user;
  };
  const audit = (c: Context<Env>, action: string, subject: string | null, detail?: unknown) => store.recordAudit(register, c.get('user'), action, subject, detail, now());

  api.get('/me', (c) => ok(c, { user: c.get('user') }));

  // ---- the region's files ----------------------------------------------------------------------

  /** Previews or applies an import of the region's files, as `npm run register -- import` does; an administrator's. */
  api.post('/import', async (c) => {
    admin(c);
    const text = await c.req.text();
    if (text.length > IMPORT_BODY_LIMIT) throw new RegisterError('console.too_large', REFUSALS.tooLarge, 413);
    const body = importInput.parse(JSON.parse(text));
    const result = await importUploaded(register, body);
    await audit(c, body.apply ? 'import.apply' : 'import.preview', null, {
      files: body.files.map((f) => f.name),
      created: result.created,
      updated: result.updated,
      rejected: result.rejectedCount,
    });
    return ok(c, result);
  });

  api.post('/session/end', async (c) => {
    await input(c, empty);
    await sessions.end(c.get('token'));
    deleteCookie(c, CONSOLE_COOKIE, { path: '/console' });
    return ok(c, null);
  });

  // ---- the fleet and enrolment -----------------------------------------------------------------

  api.get('/fleet', async (c) => {
    const at = now();
    return ok(c, { now: at, silentAfterMs, stations: await store.fleet(register, at, silentAfterMs) });
  });

  api.post('/stations/:id/revoke', async (c) => {
    const who = admin(c);
    const stationId = id.parse(c.req.param('id'));
    await input(c, empty);
    if (!(await register.revoke(stationId))) throw new RegisterError('console.unknown_station', REFUSALS.unknownStation, 404);
    await audit(c, 'station.revoke', stationId);
    return ok(c, { revoked: stationId, by: who.name });
  });

  api.get('/sites', async (c) => ok(c, await store.sites(register)));

  api.get('/articles', async (c) => {
    const q = z.object({ q: z.string().max(64).default('') }).strict().parse(c.req.query());
    return ok(c, await store.articles(register, q.q));
  });

  // ---- master data: articles, sites and delivery points ----------------------------------------
  // Judged as the register judges a station's change of them, written for every station to pull.

  api.post('/articles', async (c) => {
    const who = c.get('user');
    const body = await input(c, articleInput);
    const saved = await store.saveArticle(register, who, null, body, now());
    await audit(c, 'article.create', saved.id, body);
    return ok(c, saved);
  });

  api.post('/articles/:id', async (c) => {
    const who = c.get('user');
    const articleId = id.parse(c.req.param('id'));
    const body = await input(c, articleInput);
    const saved = await store.saveArticle(register, who, articleId, body, now());
    await audit(c, 'article.change', saved.id, body);
    return ok(c, saved);
  });

  api.post('/sites/:id', async (c) => {
    const who = admin(c);
    const siteId = id.parse(c.req.param('id'));
    const body = await input(c, siteInput);
    const saved = await store.saveSite(register, who, siteId, body, now());
    await audit(c, 'site.change', siteId, body);
    return ok(c, saved);
  });

  api.get('/delivery-points', async (c) => {
    const q = z.object({ site: id.optional() }).strict().parse(c.req.query());
    return ok(c, await store.deliveryPoints(register, q.site ?? null));
  });

  api.post('/delivery-points', async (c) => {
    const { siteId, ...body } = await input(c, pointCreateInput);
    const saved = await store.saveDeliveryPoint(register, c.get('user'), { id: null, siteId }, body, now());
    await audit(c, 'delivery_point.create', saved.id, { siteId, ...body });
    return ok(c, saved);
  });

  api.post('/delivery-points/:id', async (c) => {
    const pointId = id.parse(c.req.param('id'));
    const body = await input(c, pointChangeInput);
    const saved = await store.saveDeliveryPoint(register, c.get('user'), { id: pointId }, body, now());
    const action = body.retired === true ? 'delivery_point.retire' : body.retired === false ? 'delivery_point.reinstate' : 'delivery_point.change';
    await audit(c, action, pointId, body);
    return ok(c, saved);
  });

  api.get('/enrolment-codes', async (c) => ok(c, await store.enrolmentCodes(register, now())));

  api.post('/enrolment-codes', async (c) => {
    admin(c);
    const body = await input(c, codeInput);
    const at = now();
    const code = await register.createEnrolmentCode({ stationName: body.stationName, siteId: body.siteId });
    // The code itself is shown once and never written down: only that one was issued.
    await audit(c, 'enrolment_code.issue', body.siteId, { stationName: body.stationName });
    return ok(c, { code, stationName: body.stationName, expiresAt: at + 7 * 86_400_000 });
  });

  api.post('/enrolment-codes/:id/withdraw', async (c) => {
    admin(c);
    const codeId = z.string().regex(/^[0-9a-f]{24}$/).parse(c.req.param('id'));
    await input(c, empty);
    const withdrawn = await store.withdrawCode(register, codeId, now());
    if (!withdrawn) throw new RegisterError('console.unknown_code', REFUSALS.unknownCode, 404);
    await audit(c, 'enrolment_code.withdraw', codeId, withdrawn);
    return ok(c, withdrawn);
  });

  // ---- users -----------------------------------------------------------------------------------

  api.get('/users', async (c) => {
    admin(c);
    return ok(c, await store.listUsers(register, now()));
  });

  api.post('/users', async (c) => {
    const who = admin(c);
    const body = await input(c, userInput);
    const created = await store.createUser(register, who, body, now());
    await audit(c, 'user.create', created.id, body);
    return ok(c, created);
  });

  api.post('/users/:id/active', async (c) => {
    const who = admin(c);
    const userId = id.parse(c.req.param('id'));
    const { active } = await input(c, activeInput);
    const changed = await store.setUserActive(register, who, userId, active, now());
    if (!active) await sessions.endFor(userId);
    await audit(c, active ? 'user.activate' : 'user.deactivate', userId);
    return ok(c, changed);
  });

  api.post('/users/:id/pin-code', async (c) => {
    const who = admin(c);
    const userId = id.parse(c.req.param('id'));
    await input(c, empty);
    const issued = await store.issuePinCode(register, who, userId, now());
    await audit(c, 'user.pin_code', userId, { expires: issued.expires });
    return ok(c, issued);
  });

  // ---- what needs attention --------------------------------------------------------------------

  api.get('/issues', async (c) => ok(c, await store.issues(register)));

  api.get('/audit', async (c) => {
    admin(c);
    return ok(c, await store.auditTrail(register));
  });

  api.all('*', (c) => refuse(c, 404, 'console.not_found', REFUSALS.notFound));

  return api;
}
