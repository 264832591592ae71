/**
 * What the register's console reads and writes, as plain SQL both dialects understand: the fleet
 * of stations, enrolment codes, users (master data the register holds as entities, written the
 * way a station's change is judged: `userChangeHolds`), the region's rejected entries and
 * conflicts, sites and articles, and the console's own audit trail.
 */
import { createHash, randomInt } from 'node:crypto';
import { uuidv7 } from '../../db/ids';
import { hashPin } from '../../db/users/pins';
import type { UserLine } from '../../db/users/admin';
import { ROLES, type Role } from '../../vocabulary/domain';
import { articleHolds, userChangeHolds } from '../checks';
import { articleData, articleWrong, badGtin, countedDifferently, type ArticleFields } from '../../db/stock/article-rules';
import { placeWrong } from '../../db/locations/places';
import { RegisterError } from '../context';
import { writeEntities } from '../entities';
import { revs } from '../sql';
import type { Register } from '../register';
import type { Sql } from '../store';
import { issueAdvice, type Issue } from './issues';
import { REFUSALS } from './messages';

/**
 * A console write: the counter that orders the register's writers is taken before anything the
 * write checks is read, so a change another node commits meanwhile is either in what it reads or
 * waits until this one is in; never written over with what was read before it.
 */
const writing = <T>(register: Register, fn: (q: Sql) => Promise<T>): Promise<T> =>
  register.db.changes(async (q) => {
    await revs(q);
    return fn(q);
  });

type Row = Record<string, unknown>;
const parse = (data: string): Row => JSON.parse(data) as Row;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Who is signed in at the console. */
export interface ConsoleUser {
  id: string;
  name: string;
  role: 'admin' | 'supervisor';
  /** The user's own site (a supervisor keeps that site's delivery points); null: every site. */
  siteId: string | null;
}

/** A user as the console's sign-in reads them. */
export interface UserRecord {
  id: string;
  name: string;
  role: Role;
  active: boolean;
  pinHash: string;
  badge: string | null;
  siteId: string | null;
}

const userRecord = (id: string, d: Row): UserRecord => ({
  id,
  name: String(d.name ?? ''),
  role: d.role as Role,
  active: d.active === 1 || d.active === true,
  pinHash: typeof d.pin_hash === 'string' ? d.pin_hash : 'none',
  badge: typeof d.badge_code === 'string' ? d.badge_code : null,
  siteId: typeof d.site_id === 'string' ? d.site_id : null,
});

export async function userById(register: Register, id: string): Promise<UserRecord | null> {
  const [row] = await register.db.all<{ data: string }>("select data from entities where kind = 'user' and id = $1 and deleted = 0", [id]);
  return row ? userRecord(id, parse(row.data)) : null;
}

export async function userByBadge(register: Register, badge: string): Promise<UserRecord | null> {
  // A coarse filter in SQL, the exact match in code: both dialects read JSON differently.
  const rows = await register.db.all<{ id: string; data: string }>("select id, data from entities where kind = 'user' and deleted = 0 and data like $1", [`%"badge_code":"${badge}"%`]);
  const found = rows.map((r) => userRecord(r.id, parse(r.data))).find((u) => u.badge === badge && u.active);
  return found ?? null;
}

/** The administrators and supervisors who may sign in at the console, by name. */
export async function consoleSignInList(register: Register): Promise<{ id: string; name: string; role: Role }[]> {
  const rows = await register.db.all<{ id: string; data: string }>("select id, data from entities where kind = 'user' and deleted = 0");
  return rows
    .map((r) => userRecord(r.id, parse(r.data)))
    .filter((u) => u.active && (u.role === 'admin' || u.role === 'supervisor'))
    .map(({ id, name, role }) => ({ id, name, role }))
    .sort((a, b) => a.name.localeCompare(b.name, 'sv'));
}

// ---- the fleet ---------------------------------------------------------------------------------

export interface FleetStation {
  id: string;
  name: string;
  siteId: string;
  siteName: string | null;
  enrolledAt: number;
  revokedAt: number | null;
  /** When the register last heard from the station (a push or a pull); null: never since enrolment. */
  lastSeenAt: number | null;
  /** The last of the station's numbered entries the register applied. */
  lastApplied: number;
  version: string | null;
  rejections: number;
  conflicts: number;
  /** Not heard from for longer than the console's threshold (a revoked station is never silent). */
  silent: boolean;
}

async function siteNames(q: Sql): Promise<Map<string, { name: string; code: string }>> {
  const rows = await q.all<{ id: string; data: string }>("select id, data from entities where kind = 'site' and deleted = 0");
  return new Map(rows.map((r) => {
    const d = parse(r.data);
    return [r.id, { name: String(d.name ?? r.id), code: String(d.code ?? '') }];
  }));
}

/** Which station each rejected entry and conflict is counted at: the station that pushed it. */
const issueStation = (kind: string, d: Row): string | null =>
  typeof d.station_id === 'string' ? d.station_id : kind === 'conflict' && Array.isArray(d.stations) && typeof d.stations[1] === 'string' ? d.stations[1] : null;

export async function fleet(register: Register, now: number, silentAfterMs: number): Promise<FleetStation[]> {
  return register.db.read(async (q) => {
    const sites = await siteNames(q);
    const stations = await q.all<{ id: string; name: string; site_id: string; enrolled_at: number; revoked_at: number | null; last_seen_at: number | null; last_applied: number; version: string | null }>(
      'select id, name, site_id, enrolled_at, revoked_at, last_seen_at, last_applied, version from stations order by name, enrolled_at',
    );
    const counts = new Map<string, { rejections: number; conflicts: number }>();
    for (const r of await q.all<{ kind: string; data: string }>("select kind, data from entities where kind in ('rejection', 'conflict') and deleted = 0")) {
      const at = issueStation(r.kind, parse(r.data));
      if (!at) continue;
      const c = counts.get(at) ?? { rejections: 0, conflicts: 0 };
      if (r.kind === 'rejection') c.rejections++;
      else c.conflicts++;
      counts.set(at, c);
    }
    return stations.map((s) => {
      const lastSeenAt = s.last_seen_at === null ? null : Number(s.last_seen_at);
      const revokedAt = s.revoked_at === null ? null : Number(s.revoked_at);
      const heard = lastSeenAt ?? Number(s.enrolled_at);
      return {
        id: s.id,
        name: s.name,
        siteId: s.site_id,
        siteName: sites.get(s.site_id)?.name ?? null,
        enrolledAt: Number(s.enrolled_at),
        revokedAt,
        lastSeenAt,
        lastApplied: Number(s.last_applied),
        version: s.version,
        ...(counts.get(s.id) ?? { rejections: 0, conflicts: 0 }),
        silent: revokedAt === null && now - heard > silentAfterMs,
      };
    });
  });
}

// ---- sites and articles ------------------------------------------------------------------------

export interface SiteLine {
  id: string;
  code: string;
  name: string;
  kind: string;
  municipality: string;
  address: string | null;
  postcode: string | null;
  town: string | null;
  route: string | null;
  deliveryWeekday: number | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export async function sites(register: Register): Promise<SiteLine[]> {
  const rows = await register.db.all<{ id: string; data: string }>("select id, data from entities where kind = 'site' and deleted = 0");
  return rows
    .map((r) => {
      const d = parse(r.data);
      return {
        id: r.id,
        code: String(d.code ?? ''),
        name: String(d.name ?? ''),
        kind: String(d.kind ?? ''),
        municipality: String(d.municipality ?? ''),
        address: str(d.address),
        postcode: str(d.postcode),
        town: str(d.town),
        route: str(d.route),
        deliveryWeekday: typeof d.delivery_weekday === 'number' ? d.delivery_weekday : null,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name, 'sv'));
}

export interface ArticleLine {
  id: string;
  number: string;
  name: string;
  isoCode: string;
  supplier: string;
  rentable: boolean;
  tracking: string;
  gtins: string[];
  hibc: string[];
  unit: string;
  /** In öre. */
  purchasePrice: number;
  equivalenceGroup: string | null;
}

/** Articles whose number, name or GTIN holds `text` (all when empty), at most `limit`, by number. */
export async function articles(register: Register, text: string, limit = 100): Promise<{ lines: ArticleLine[]; more: boolean }> {
  const needle = text.trim().toLowerCase();
  const rows = await register.db.all<{ id: string; data: string }>("select id, data from entities where kind = 'article' and deleted = 0");
  const lines = rows
    .map((r) => {
      const d = parse(r.data);
      return {
        id: r.id,
        number: String(d.article_number ?? ''),
        name: String(d.name ?? ''),
        isoCode: String(d.iso_code ?? ''),
        supplier: String(d.supplier ?? ''),
        rentable: d.rentable === 1 || d.rentable === true,
        tracking: String(d.tracking ?? 'none'),
        gtins: Array.isArray(d.gtins) ? d.gtins.filter((g): g is string => typeof g === 'string') : [],
        hibc: Array.isArray(d.hibc) ? d.hibc.filter((h): h is string => typeof h === 'string') : [],
        unit: String(d.unit ?? ''),
        purchasePrice: typeof d.purchase_price === 'number' ? d.purchase_price : 0,
        equivalenceGroup: str(d.equivalence_group),
      };
    })
    .filter((a) => needle === '' || a.number.toLowerCase().includes(needle) || a.name.toLowerCase().includes(needle) || a.gtins.some((g) => g.includes(needle)))
    .sort((a, b) => a.number.localeCompare(b.number));
  return { lines: lines.slice(0, limit), more: lines.length > limit };
}

/** The postcode as the region writes it: five digits as `961 85`. */
const postcode = (v: string | null | undefined): string | null => {
  const t = typeof v === 'string' ? v.trim() : '';
  if (!t) return null;
  const digits = t.replace(/\s/g, '');
  return /^\d{5}$/.test(digits) ? `${digits.slice(0, 3)} ${digits.slice(3)}` : t;
};
const clean = (v: string | null | undefined): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);
const placeRefused = (w: { sv: string; en: string }) => new RegisterError('console.bad_place', { sv: w.sv, en: w.en }, 400);

/** Who is signed in, as the register's user entity: what the station's rules ask of whoever made a change. */
async function signedInUser(q: Sql, who: ConsoleUser): Promise<Map<string, Row>> {
  const stored = new Map<string, Row>();
  const [me] = await q.all<{ data: string }>("select data from entities where kind = 'user' and id = $1 and deleted = 0", [who.id]);
  if (me) stored.set(`user\u0000${who.id}`, parse(me.data));
  return stored;
}

/** Articles that may hold `code` (a coarse filter in SQL, the exact match in code). */
async function articlesWith(q: Sql, code: string): Promise<{ id: string; d: Row }[]> {
  const rows = await q.all<{ id: string; data: string }>("select id, data from entities where kind = 'article' and deleted = 0 and data like $1", [`%"${code}"%`]);
  return rows.map((r) => ({ id: r.id, d: parse(r.data) }));
}

export type ArticleInput = ArticleFields;

/**
 * Creates (`id` null) or changes an article, judged as the register judges one from a station:
 * the article's own rules, a number, GTIN and HIBC code no other article has, and no change to how
 * it is counted once it has stock or devices; then written for every station to pull.
 */
export async function saveArticle(register: Register, who: ConsoleUser, id: string | null, input: ArticleInput, now: number): Promise<{ id: string; articleNumber: string; name: string }> {
  const articleId = id ?? uuidv7(now);
  const bad = badGtin(input.gtins);
  if (bad) throw new RegisterError('console.bad_gtin', REFUSALS.badGtin(bad), 400);
  const data = articleData(articleId, input, who.id, now);
  const problem = articleWrong(articleId, data);
  if (problem) throw new RegisterError('console.bad_article', { sv: problem.sv, en: problem.en }, 400);
  return writing(register, async (q) => {
    const stored = await signedInUser(q, who);
    let before: Row | undefined;
    if (id !== null) {
      const [row] = await q.all<{ data: string }>("select data from entities where kind = 'article' and id = $1 and deleted = 0", [id]);
      if (!row) throw new RegisterError('console.unknown_article', REFUSALS.unknownArticle, 404);
      before = parse(row.data);
      stored.set(`article\u0000${id}`, before);
    }
    // A number, GTIN or HIBC code names one article, region-wide.
    for (const other of await articlesWith(q, data.article_number as string))
      if (other.id !== articleId && other.d.article_number === data.article_number) {
        throw new RegisterError('console.number_taken', REFUSALS.numberTaken(data.article_number as string, String(other.d.name ?? '')), 409);
      }
    for (const field of ['gtins', 'hibc'] as const)
      for (const code of data[field] as string[])
        for (const other of await articlesWith(q, code))
          if (other.id !== articleId && Array.isArray(other.d[field]) && (other.d[field] as unknown[]).includes(code)) {
            throw new RegisterError('console.code_taken', REFUSALS.codeTaken(code, String(other.d.article_number ?? '')), 409);
          }
    if (before && countedDifferently(before, data)) {
      const [stock] = await q.all<{ n: number }>(
        "select count(*) as n from (select 1 from balances where article_id = $1 and quantity <> 0 union all select 1 from entities where kind = 'individual' and data like $2) t",
        [articleId, `%"article_id":"${articleId}"%`],
      );
      if (Number(stock!.n) > 0) throw new RegisterError('console.counted_differently', REFUSALS.countedDifferently, 409);
    }
    // The register's own check of a station's article, as the last word.
    if (!articleHolds(articleId, data, before, stored, () => now)) throw new RegisterError('console.article_refused', REFUSALS.articleRefused, 400);
    await writeEntities(q, [{ kind: 'article', id: articleId, data }]);
    return { id: articleId, articleNumber: data.article_number as string, name: data.name as string };
  });
}

export interface SiteInput {
  name: string;
  municipality: string;
  address: string | null;
  postcode: string | null;
  town: string | null;
  route: string | null;
  deliveryWeekday: number | null;
}

/** Changes a site (an administrator's); its code and kind stay, since locations and labels are named by them. */
export async function saveSite(register: Register, who: ConsoleUser, id: string, input: SiteInput, now: number): Promise<{ id: string; name: string }> {
  return writing(register, async (q) => {
    const [row] = await q.all<{ data: string }>("select data from entities where kind = 'site' and id = $1 and deleted = 0", [id]);
    if (!row) throw new RegisterError('console.unknown_site', REFUSALS.unknownSite, 404);
    const before = parse(row.data);
    const route = clean(input.route);
    const data: Row = {
      ...before,
      id,
      code: before.code,
      kind: before.kind,
      name: input.name.trim(),
      municipality: input.municipality.trim(),
      address: clean(input.address),
      postcode: postcode(input.postcode),
      town: clean(input.town),
      route,
      delivery_weekday: route ? input.deliveryWeekday : null,
      changed_by: who.id,
      changed_at: now,
    };
    const problem = placeWrong('site', id, data);
    if (problem) throw placeRefused(problem);
    await writeEntities(q, [{ kind: 'site', id, data }]);
    return { id, name: data.name as string };
  });
}

export interface PointLine {
  id: string;
  siteId: string;
  siteName: string | null;
  name: string;
  address: string;
  postcode: string;
  town: string;
  municipality: string;
  route: string;
  weekday: number;
  retiredAt: number | null;
  changedBy: string | null;
  changedAt: number | null;
}

/** The delivery points of every site (or of one), by site, those in use first, then by route and name. */
export async function deliveryPoints(register: Register, siteId: string | null): Promise<PointLine[]> {
  return register.db.read(async (q) => {
    const names = await siteNames(q);
    const rows = await q.all<{ id: string; data: string }>("select id, data from entities where kind = 'delivery_point' and deleted = 0");
    const users = new Map(
      (await q.all<{ id: string; data: string }>("select id, data from entities where kind = 'user'")).map((u) => [u.id, String(parse(u.data).name ?? '')]),
    );
    return rows
      .map((r) => {
        const d = parse(r.data);
        const site = String(d.site_id ?? '');
        return {
          id: r.id,
          siteId: site,
          siteName: names.get(site)?.name ?? null,
          name: String(d.name ?? ''),
          address: String(d.address ?? ''),
          postcode: String(d.postcode ?? ''),
          town: String(d.town ?? ''),
          municipality: String(d.municipality ?? ''),
          route: String(d.route ?? ''),
          weekday: Number(d.weekday ?? 0),
          retiredAt: typeof d.retired_at === 'number' ? d.retired_at : null,
          changedBy: typeof d.changed_by === 'string' ? (users.get(d.changed_by) ?? null) : null,
          changedAt: typeof d.changed_at === 'number' ? d.changed_at : null,
        };
      })
      .filter((p) => siteId === null || p.siteId === siteId)
      .sort(
        (a, b) =>
          (a.siteName ?? '').localeCompare(b.siteName ?? '', 'sv') ||
          Number(a.retiredAt !== null) - Number(b.retiredAt !== null) ||
          a.route.localeCompare(b.route, 'sv') ||
          a.name.localeCompare(b.name, 'sv'),
      );
  });
}

export interface PointInput {
  name: string;
  address: string;
  postcode: string;
  town: string;
  municipality: string;
  route: string;
  weekday: number;
}

/** A supervisor keeps only their own site's delivery points; an administrator every site's. */
const keepsPoints = (who: ConsoleUser, siteId: unknown): void => {
  if (who.role !== 'admin' && (who.siteId === null || who.siteId !== siteId)) throw new RegisterError('console.other_site', REFUSALS.otherSite, 403);
};

/**
 * Creates a delivery point (`id` null, at `siteId`) or changes one (what `input` names; `retired`
 * retires it, or brings it back), judged as a station's: by `placeWrong`, kept by its own site's
 * supervisors or an administrator, its name one of a kind among the site's points in use.
 */
export async function saveDeliveryPoint(
  register: Register,
  who: ConsoleUser,
  target: { id: null; siteId: string } | { id: string },
  input: Partial<PointInput> & { retired?: boolean },
  now: number,
): Promise<{ id: string; name: string; siteId: string; retiredAt: number | null }> {
  return writing(register, async (q) => {
    let before: Row | undefined;
    let siteId: string;
    let id: string;
    if (target.id === null) {
      siteId = target.siteId;
      keepsPoints(who, siteId);
      const [site] = await q.all<{ id: string }>("select id from entities where kind = 'site' and id = $1 and deleted = 0", [siteId]);
      if (!site) throw new RegisterError('console.unknown_site', REFUSALS.unknownSite, 404);
      id = uuidv7(now);
    } else {
      id = target.id;
      const [row] = await q.all<{ data: string }>("select data from entities where kind = 'delivery_point' and id = $1 and deleted = 0", [id]);
      if (!row) throw new RegisterError('console.unknown_point', REFUSALS.unknownPoint, 404);
      before = parse(row.data);
      siteId = String(before.site_id ?? '');
      keepsPoints(who, siteId);
    }
    const pick = <K extends keyof PointInput>(k: K, column: string): unknown => (input[k] !== undefined ? input[k] : before?.[column]);
    const trimmed = (k: Exclude<keyof PointInput, 'weekday'>): unknown => {
      const v = pick(k, k);
      return typeof v === 'string' ? v.trim() : v;
    };
    const retiredAt = input.retired === undefined ? ((before?.retired_at as number | null | undefined) ?? null) : input.retired ? ((before?.retired_at as number | null | undefined) ?? now) : null;
    const data: Row = {
      id,
      site_id: siteId,
      name: trimmed('name'),
      address: trimmed('address'),
      postcode: input.postcode !== undefined ? postcode(input.postcode) : before?.postcode,
      town: trimmed('town'),
      municipality: trimmed('municipality'),
      route: trimmed('route'),
      weekday: pick('weekday', 'weekday'),
      retired_at: retiredAt,
      changed_by: who.id,
      changed_at: now,
    };
    const problem = placeWrong('delivery_point', id, data);
    if (problem) throw placeRefused(problem);
    if (retiredAt === null) {
      const same = (await q.all<{ id: string; data: string }>("select id, data from entities where kind = 'delivery_point' and deleted = 0 and id <> $1", [id])).find((r) => {
        const d = parse(r.data);
        return d.site_id === siteId && (d.retired_at === null || d.retired_at === undefined) && String(d.name ?? '').toLowerCase() === String(data.name).toLowerCase();
      });
      if (same) throw new RegisterError('console.point_name_taken', REFUSALS.pointNameTaken(data.name as string), 409);
    }
    await writeEntities(q, [{ kind: 'delivery_point', id, data }]);
    return { id, name: data.name as string, siteId, retiredAt };
  });
}

// ---- enrolment codes ---------------------------------------------------------------------------

export interface CodeLine {
  /** Names the code without being it (a hash of its hash). */
  id: string;
  stationName: string;
  siteId: string;
  siteName: string | null;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
  stationId: string | null;
  state: 'waiting' | 'used' | 'expired';
}

const codeId = (codeHash: string) => sha256(`console:${codeHash}`).slice(0, 24);

export async function enrolmentCodes(register: Register, now: number): Promise<CodeLine[]> {
  return register.db.read(async (q) => {
    const names = await siteNames(q);
    const rows = await q.all<{ code_hash: string; station_name: string; site_id: string; created_at: number; expires_at: number; used_at: number | null; station_id: string | null }>(
      'select code_hash, station_name, site_id, created_at, expires_at, used_at, station_id from enrolment_codes order by created_at desc limit 200',
    );
    return rows.map((r) => {
      const usedAt = r.used_at === null ? null : Number(r.used_at);
      const expiresAt = Number(r.expires_at);
      return {
        id: codeId(r.code_hash),
        stationName: r.station_name,
        siteId: r.site_id,
        siteName: names.get(r.site_id)?.name ?? null,
        createdAt: Number(r.created_at),
        expiresAt,
        usedAt,
        stationId: r.station_id,
        state: usedAt !== null ? 'used' : expiresAt < now ? 'expired' : 'waiting',
      };
    });
  });
}

/** Withdraws a code not yet used: it expires now. False when there is no such code waiting. */
export async function withdrawCode(register: Register, id: string, now: number): Promise<{ stationName: string } | null> {
  return register.db.tx(async (q) => {
    const rows = await q.all<{ code_hash: string; station_name: string }>('select code_hash, station_name from enrolment_codes where used_at is null and expires_at >= $1', [now]);
    const found = rows.find((r) => codeId(r.code_hash) === id);
    if (!found) return null;
    // Used meanwhile (another node enrolled a station with it): nothing withdrawn.
    if ((await q.run('update enrolment_codes set expires_at = $1 where code_hash = $2 and used_at is null', [now - 1, found.code_hash])) === 0) return null;
    return { stationName: found.station_name };
  });
}

// ---- users -------------------------------------------------------------------------------------

/** A user as the console lists them: the same line as a station's *Användare*. */
export type { UserLine };

export async function listUsers(register: Register, now: number): Promise<UserLine[]> {
  return register.db.read(async (q) => {
    const names = await siteNames(q);
    const rows = (await q.all<{ id: string; data: string }>("select id, data from entities where kind = 'user' and deleted = 0")).map((r) => ({ id: r.id, d: parse(r.data) }));
    const nameOf = new Map(rows.map((r) => [r.id, String(r.d.name ?? '')]));
    return rows
      .map(({ id, d }) => {
        const codeExpires = typeof d.pin_code_expires === 'number' ? d.pin_code_expires : null;
        const siteId = typeof d.site_id === 'string' ? d.site_id : null;
        return {
          id,
          name: String(d.name ?? ''),
          role: d.role as Role,
          siteId,
          siteName: siteId ? (names.get(siteId)?.name ?? null) : null,
          badge: typeof d.badge_code === 'string' ? d.badge_code : null,
          active: d.active === 1 || d.active === true,
          pin: (typeof d.pin_code_hash === 'string' && codeExpires !== null && codeExpires > now ? 'code' : typeof d.pin_hash === 'string' && d.pin_hash !== 'none' ? 'set' : 'none') as UserLine['pin'],
          codeExpires,
          changedBy: typeof d.changed_by === 'string' ? (nameOf.get(d.changed_by) ?? null) : null,
          changedAt: typeof d.changed_at === 'number' ? d.changed_at : null,
        };
      })
      .sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name, 'sv'));
  });
}

/** How long a one-time code stays usable (as at a station: a week). */
export const CODE_DAYS = 7;

export interface UserInput {
  name: string;
  role: Role;
  siteId: string | null;
  badge: string | null;
}

/** The user change judged as the register judges one from a station, then written for every station to pull. */
async function writeUser(q: Sql, admin: ConsoleUser, id: string, data: Row, before: Row | undefined, now: number): Promise<void> {
  const stored = new Map<string, Row>();
  const [me] = await q.all<{ data: string }>("select data from entities where kind = 'user' and id = $1 and deleted = 0", [admin.id]);
  if (me) stored.set(`user\u0000${admin.id}`, parse(me.data));
  if (typeof data.site_id === 'string') {
    const [site] = await q.all<{ id: string }>("select id from entities where kind = 'site' and id = $1 and deleted = 0", [data.site_id]);
    if (!site) throw new RegisterError('console.unknown_site', REFUSALS.unknownSite, 400);
    stored.set(`site\u0000${data.site_id}`, {});
  }
  if (typeof data.badge_code === 'string') {
    const holders = await q.all<{ id: string; data: string }>("select id, data from entities where kind = 'user' and deleted = 0 and data like $1", [`%"badge_code":"${data.badge_code}"%`]);
    const holder = holders.find((h) => h.id !== id && parse(h.data).badge_code === data.badge_code);
    if (holder) throw new RegisterError('console.badge_taken', REFUSALS.badgeTaken(data.badge_code, String(parse(holder.data).name ?? '')), 409);
  }
  if (!userChangeHolds(id, data, before, stored, () => now)) throw new RegisterError('console.bad_user', REFUSALS.badUser, 400);
  await writeEntities(q, [{ kind: 'user', id, data }]);
}

/** A one-time code: eight digits, kept only as a peppered verifier. */
function newCode(pepper: Buffer, now: number): { code: string; hash: string; expires: number } {
  const code = String(randomInt(0, 100_000_000)).padStart(8, '0');
  return { code, hash: hashPin(code, pepper), expires: now + CODE_DAYS * 86_400_000 };
}

const needPepper = (register: Register): Buffer => {
  const pepper = register.pinPepper();
  if (!pepper) throw new RegisterError('console.no_pepper', REFUSALS.noPepper, 409);
  return pepper;
};

/** A new user without a PIN; the code returned (once) is for them to set one at any station. */
export async function createUser(register: Register, admin: ConsoleUser, input: UserInput, now: number): Promise<{ id: string; code: string; expires: number }> {
  const pepper = needPepper(register);
  const id = uuidv7(now);
  const code = newCode(pepper, now);
  const data: Row = {
    id,
    name: input.name,
    role: input.role,
    pin_hash: 'none',
    badge_code: input.badge,
    site_id: input.siteId,
    active: 1,
    pin_code_hash: input.role === 'prescriber' ? null : code.hash,
    pin_code_expires: input.role === 'prescriber' ? null : code.expires,
    changed_by: admin.id,
    changed_at: now,
  };
  await writing(register, (q) => writeUser(q, admin, id, data, undefined, now));
  return { id, code: input.role === 'prescriber' ? '' : code.code, expires: code.expires };
}

async function stored(q: Sql, id: string): Promise<Row> {
  const [row] = await q.all<{ data: string }>("select data from entities where kind = 'user' and id = $1 and deleted = 0", [id]);
  if (!row) throw new RegisterError('console.unknown_user', REFUSALS.unknownUser, 404);
  return parse(row.data);
}

/** Lets a user sign in again, or no longer anywhere once the stations have synced. */
export async function setUserActive(register: Register, admin: ConsoleUser, id: string, active: boolean, now: number): Promise<{ name: string }> {
  if (id === admin.id && !active) throw new RegisterError('console.self', REFUSALS.self, 409);
  return writing(register, async (q) => {
    const before = await stored(q, id);
    await writeUser(q, admin, id, { ...before, active: active ? 1 : 0, changed_by: admin.id, changed_at: now }, before, now);
    return { name: String(before.name ?? '') };
  });
}

/** A PIN reset: a new one-time code, and the old PIN no longer works anywhere once stations have synced. */
export async function issuePinCode(register: Register, admin: ConsoleUser, id: string, now: number): Promise<{ name: string; code: string; expires: number }> {
  const pepper = needPepper(register);
  return writing(register, async (q) => {
    const before = await stored(q, id);
    if (!(before.active === 1 || before.active === true) || before.role === 'prescriber') throw new RegisterError('console.no_pin', REFUSALS.noPin, 409);
    const code = newCode(pepper, now);
    await writeUser(q, admin, id, { ...before, pin_hash: 'none', pin_code_hash: code.hash, pin_code_expires: code.expires, changed_by: admin.id, changed_at: now }, before, now);
    return { name: String(before.name ?? ''), code: code.code, expires: code.expires };
  });
}

export const isRole = (r: unknown): r is Role => (ROLES as readonly unknown[]).includes(r);

// ---- rejected entries and conflicts ------------------------------------------------------------

/** The region's rejected entries and conflicts, newest first, each with what it says and what to do. */
export async function issues(register: Register, limit = 300): Promise<Issue[]> {
  return register.db.read(async (q) => {
    const rows = await q.all<{ kind: 'rejection' | 'conflict'; id: string; data: string; rev: number }>(
      `select kind, id, data, rev from entities where kind in ('rejection', 'conflict') and deleted = 0 order by rev desc limit ${Math.max(1, Math.floor(limit))}`,
    );
    const stationRows = await q.all<{ id: string; name: string; site_id: string }>('select id, name, site_id from stations');
    const stationsById = new Map(stationRows.map((s) => [s.id, s]));
    const names = await siteNames(q);
    // Where the register put a device two stations moved: the kept movement's location.
    const kept = rows.map((r) => parse(r.data).kept).filter((k): k is string => typeof k === 'string');
    const places = new Map<string, string>();
    for (let i = 0; i < kept.length; i += 500) {
      const chunk = kept.slice(i, i + 500);
      const moved = await q.all<{ id: string; to_location_id: string | null }>(`select id, to_location_id from movements where id in (${chunk.map((_, j) => `$${j + 1}`).join(', ')})`, chunk);
      for (const m of moved) if (m.to_location_id) places.set(m.id, m.to_location_id);
    }
    const locationIds = [...new Set(places.values())];
    const codes = new Map<string, string>();
    for (let i = 0; i < locationIds.length; i += 500) {
      const chunk = locationIds.slice(i, i + 500);
      for (const l of await q.all<{ id: string; data: string }>(`select id, data from entities where kind = 'location' and id in (${chunk.map((_, j) => `$${j + 1}`).join(', ')})`, chunk))
        codes.set(l.id, String(parse(l.data).code ?? ''));
    }
    const userNames = new Map<string, string>();
    for (const r of rows) {
      const by = parse(r.data).kept_by;
      if (typeof by === 'string' && !userNames.has(by)) {
        const u = await q.all<{ data: string }>("select data from entities where kind = 'user' and id = $1", [by]);
        if (u[0]) userNames.set(by, String(parse(u[0].data).name ?? ''));
      }
    }
    return rows.map((r) => {
      const d = parse(r.data);
      const stationId = issueStation(r.kind, d);
      const station = stationId ? stationsById.get(stationId) : undefined;
      const keptAt = typeof d.kept === 'string' ? places.get(d.kept) : undefined;
      return issueAdvice(r.kind, r.id, d, {
        stationName: station?.name ?? (typeof d.station_name === 'string' ? d.station_name : null),
        siteName: station ? (names.get(station.site_id)?.name ?? null) : typeof d.site_id === 'string' ? (names.get(d.site_id)?.name ?? null) : null,
        keptLocation: keptAt ? (codes.get(keptAt) ?? null) : null,
        keptBy: typeof d.kept_by === 'string' ? (userNames.get(d.kept_by) ?? null) : null,
      });
    });
  });
}

// ---- the console's audit trail -----------------------------------------------------------------

export interface AuditLine {
  at: number;
  userName: string;
  action: string;
  subject: string | null;
  detail: string | null;
}

export async function recordAudit(register: Register, who: ConsoleUser, action: string, subject: string | null, detail: unknown, now: number): Promise<void> {
  await register.db.run('insert into console_audit (id, at, user_id, user_name, action, subject, detail) values ($1, $2, $3, $4, $5, $6, $7)', [
    uuidv7(now),
    now,
    who.id,
    who.name,
    action,
    subject,
    detail === undefined ? null : JSON.stringify(detail),
  ]);
}

export async function auditTrail(register: Register, limit = 200): Promise<AuditLine[]> {
  const rows = await register.db.all<{ at: number; user_name: string; action: string; subject: string | null; detail: string | null }>(
    `select at, user_name, action, subject, detail from console_audit order by at desc, id desc limit ${Math.max(1, Math.floor(limit))}`,
  );
  return rows.map((r) => ({ at: Number(r.at), userName: r.user_name, action: r.action, subject: r.subject, detail: r.detail }));
}
