/**
 * The central register: authoritative master data, every station's movements, and the sync
 * protocol's two halves. Push applies each station's outbox entries exactly once and in order;
 * pull serves every change after a cursor (the register's `rev` counter), or a full copy.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { CHAIN_START, chainHash, nextLink, type ChainedEntry, type ChainState } from '../db/audit-chain';
import { uuidv7 } from '../db/ids';
import type { UserMessage } from '../vocabulary/errors';
import { stateAfter, stateFromHistory, type DeviceState, type HistoryMovement } from '../db/stock/status';
import { badOccurredAt, EARLIEST_MS, isReason, MAX_CLOCK_SKEW_MS, MAX_QUANTITY } from '../db/stock/rules';
import type { IndividualStatus, LocationKind, MovementReason } from '../db/schema';
import type {
  AuditPushResponse,
  AuditTuple,
  EnrolResponse,
  EntityChange,
  MovementTuple,
  PullPage,
  PushEntry,
  PushResponse,
  Rejection,
  ResyncNeeded,
  SnapshotHeader,
} from '../db/sync/wire';
import type { RegisterDb, Sql } from './store';

/** Master data kinds, in the order a full copy lists them (what refers comes after what it refers to). */
export const ENTITY_KINDS = ['site', 'location', 'article', 'user', 'individual', 'purchase_order', 'customer_order', 'reorder_setting', 'pallet', 'work_order', 'sign_in_unlock', 'conflict', 'rejection'] as const;
/** Master data a station may change (supervisors' settings, pallets on their way between sites, repairs, an administrator's unlock of a site's sign-in locks). */
const FROM_STATIONS = new Set<string>(['location', 'reorder_setting', 'pallet', 'purchase_order', 'customer_order', 'work_order', 'sign_in_unlock']);
export type EntityKind = (typeof ENTITY_KINDS)[number];

export interface RegisterOptions {
  /** A full copy carries movements from this many days back (history for the screens); stock comes as balances. */
  historyDays?: number;
  /** A station further behind than this many changes gets a full copy instead. */
  resyncBehind?: number;
  now?: () => number;
  /**
   * The region's PIN pepper (`db/pepper.ts`), kept outside the database and handed to each station
   * at enrolment, so a PIN hashed anywhere checks everywhere.
   */
  pinPepper?: Buffer | null;
}

export interface StationRecord {
  id: string;
  name: string;
  siteId: string;
  lastApplied: number;
  revokedAt: number | null;
}

/** How far ahead of the register's clock a station's unlock may be dated. */
const UNLOCK_SKEW_MS = 10 * 60_000;

export class RegisterError extends Error {
  constructor(
    readonly code: string,
    readonly userMessage: UserMessage,
    readonly status = 400,
  ) {
    super(userMessage.en);
  }
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const DAY = 86_400_000;
const INDIVIDUAL_BLOCK = 100_000;
const SSCC_BLOCK = 1_000_000;
export const MOVEMENT_COLUMNS = 'id, station_id, seq, user_id, occurred_at, recorded_at, article_id, individual_id, lot, from_location_id, to_location_id, quantity, reason, order_ref, reverses';

interface IndividualState {
  id: string;
  individual_number: string;
  article_id: string;
  serial_number: string | null;
  udi: string | null;
  status: IndividualStatus;
  site_id: string | null;
  location_id: string | null;
  /** When it last became ready on a shelf; null while it is anything but ready. */
  ready_since?: number | null;
  updated_at: number;
  /** The movement that put it where it is: [occurredAt, stationId, movementId, reason]. */
  last?: [number, string, string, string] | null;
}

/** An article as the register's check of a push reads it. */
interface ArticleFacts {
  /** Rented out one by one: every movement of it names its individual. */
  individual: boolean;
}

/** What the register already holds (or books earlier in the same push) that a pushed movement must not repeat. */
interface Taken {
  ids: Set<string>;
  /** This station's movement numbers. */
  seqs: Set<number>;
  /** Movements of this station's site a correction may name as the one it reverses, with the individual each moved. */
  own: Map<string, string | null>;
}

/** One place's stock where the balance and the sum of the movements disagree. */
export interface LedgerDifference {
  articleId: string;
  locationId: string;
  lot: string;
  balance: number;
  movements: number;
}

export interface LedgerCheck {
  ok: boolean;
  /** Places (article, location, lot) compared. */
  places: number;
  movements: number;
  /** The first disagreements found (at most 100). */
  differences: LedgerDifference[];
}

/** Inserts rows in as few statements as the dialect's parameter limit allows. */
export async function insertRows(q: Sql, head: string, columns: number, rows: readonly unknown[][], tail = ''): Promise<void> {
  const per = Math.max(1, Math.floor(30_000 / columns));
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    const params: unknown[] = [];
    const values = chunk.map((row) => {
      const marks = row.map((v) => (params.push(v), `$${params.length}`));
      return `(${marks.join(', ')})`;
    });
    await q.run(`${head} values ${values.join(', ')} ${tail}`, params);
  }
}

/** Reads rows whose key is in `ids`, in chunks. */
async function selectIn<T>(q: Sql, text: (marks: string) => string, ids: readonly unknown[], extra: unknown[] = []): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const marks = chunk.map((_, j) => `$${extra.length + j + 1}`).join(', ');
    out.push(...(await q.all<T>(text(marks), [...extra, ...chunk])));
  }
  return out;
}

/** A movement row as it travels on the wire. */
export const tupleOf = (r: Record<string, unknown>): MovementTuple => [
  r.id as string,
  r.station_id as string,
  Number(r.seq),
  r.user_id as string,
  Number(r.occurred_at),
  Number(r.recorded_at),
  r.article_id as string,
  (r.individual_id as string | null) ?? null,
  (r.lot as string | null) ?? null,
  (r.from_location_id as string | null) ?? null,
  (r.to_location_id as string | null) ?? null,
  Number(r.quantity),
  r.reason as string,
  (r.order_ref as string | null) ?? null,
  (r.reverses as string | null) ?? null,
];

/** Takes the rev counter (which also orders writers by commit) and hands out the numbers after it. */
async function revs(q: Sql) {
  const [row] = await q.all<{ value: number }>("update counters set value = value where name = 'rev' returning value");
  let rev = Number(row!.value);
  return {
    next: () => ++rev,
    save: () => q.run("update counters set value = $1 where name = 'rev'", [rev]),
  };
}

export class Register {
  private constructor(
    readonly db: RegisterDb,
    readonly epoch: string,
    private readonly options: Required<RegisterOptions>,
  ) {}

  static async open(db: RegisterDb, options: RegisterOptions = {}): Promise<Register> {
    const opts = { historyDays: 90, resyncBehind: 500_000, now: Date.now, pinPepper: null, ...options };
    const epoch = await db.tx(async (q) => {
      for (const name of ['rev', 'individual_next', 'sscc_next'])
        await q.run('insert into counters (name, value) values ($1, $2) on conflict (name) do nothing', [name, name === 'rev' ? 0 : 1]);
      await q.run("insert into meta (key, value) values ('epoch', $1) on conflict (key) do nothing", [uuidv7()]);
      await q.run("insert into meta (key, value) values ('compacted_below', '0') on conflict (key) do nothing");
      const [row] = await q.all<{ value: string }>("select value from meta where key = 'epoch'");
      return row!.value;
    });
    return new Register(db, epoch, opts);
  }

  close(): Promise<void> {
    return this.db.close();
  }

  // ---- stations ----------------------------------------------------------------------------

  /** A one-time code an administrator gives the person setting up a station (valid for `ttlMs`). */
  async createEnrolmentCode(input: { stationName: string; siteId: string; ttlMs?: number }): Promise<string> {
    const [site] = await this.db.all("select id from entities where kind = 'site' and id = $1 and deleted = 0", [input.siteId]);
    if (!site) throw new RegisterError('register.unknown_site', { sv: 'Okänd plats.', en: 'Unknown site.' }, 404);
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
    const code = Array.from({ length: 12 }, () => alphabet[randomInt(alphabet.length)]).join('');
    const now = this.options.now();
    await this.db.run('insert into enrolment_codes (code_hash, station_name, site_id, created_at, expires_at) values ($1, $2, $3, $4, $5)', [
      sha256(code),
      input.stationName,
      input.siteId,
      now,
      now + (input.ttlMs ?? 7 * DAY),
    ]);
    return code;
  }

  /** The region's PIN pepper, when the register was given one. */
  pinPepper(): Buffer | null {
    return this.options.pinPepper;
  }

  /** Trades a one-time code for a station identity, its token and its own blocks of numbers. */
  async enrol(code: string): Promise<EnrolResponse> {
    const token = randomBytes(32).toString('base64url');
    const now = this.options.now();
    return this.db.tx(async (q) => {
      const [c] = await q.all<{ station_name: string; site_id: string; expires_at: number; used_at: number | null }>(
        'select station_name, site_id, expires_at, used_at from enrolment_codes where code_hash = $1',
        [sha256(code.trim().toUpperCase())],
      );
      if (!c || c.used_at !== null || Number(c.expires_at) < now)
        throw new RegisterError(
          'register.bad_code',
          { sv: 'Koden gäller inte (fel, redan använd eller för gammal). Be en administratör om en ny kod.', en: 'The code is not valid (wrong, already used or expired). Ask an administrator for a new code.' },
          403,
        );
      const stationId = uuidv7(now);
      await q.run('update enrolment_codes set used_at = $1, station_id = $2 where code_hash = $3', [now, stationId, sha256(code.trim().toUpperCase())]);
      await q.run('insert into stations (id, name, site_id, token_hash, enrolled_at, last_applied) values ($1, $2, $3, $4, $5, 0)', [
        stationId,
        c.station_name,
        c.site_id,
        sha256(token),
        now,
      ]);
      const [ind] = await q.all<{ value: number }>(`update counters set value = value + ${INDIVIDUAL_BLOCK} where name = 'individual_next' returning value`);
      const [sscc] = await q.all<{ value: number }>(`update counters set value = value + ${SSCC_BLOCK} where name = 'sscc_next' returning value`);
      const indEnd = Number(ind!.value) - 1;
      const ssccEnd = Number(sscc!.value) - 1;
      return {
        stationId,
        token,
        name: c.station_name,
        siteId: c.site_id,
        numbers: {
          individual: { next: indEnd - INDIVIDUAL_BLOCK + 1, last: indEnd },
          sscc: { next: ssccEnd - SSCC_BLOCK + 1, last: ssccEnd },
        },
        ...(this.options.pinPepper ? { pepper: this.options.pinPepper.toString('hex') } : {}),
      };
    });
  }

  async revoke(stationId: string): Promise<boolean> {
    return (await this.db.run('update stations set revoked_at = $1 where id = $2 and revoked_at is null', [this.options.now(), stationId])) > 0;
  }

  /** The station a bearer token belongs to, or null for an unknown or revoked token. */
  async authenticate(token: string | undefined): Promise<StationRecord | null> {
    if (!token) return null;
    const [s] = await this.db.all<{ id: string; name: string; site_id: string; last_applied: number; revoked_at: number | null }>(
      'select id, name, site_id, last_applied, revoked_at from stations where token_hash = $1',
      [sha256(token)],
    );
    if (!s || s.revoked_at !== null) return null;
    return { id: s.id, name: s.name, siteId: s.site_id, lastApplied: Number(s.last_applied), revokedAt: null };
  }

  async stations(): Promise<StationRecord[]> {
    const rows = await this.db.all<{ id: string; name: string; site_id: string; last_applied: number; revoked_at: number | null }>(
      'select id, name, site_id, last_applied, revoked_at from stations order by enrolled_at',
    );
    return rows.map((s) => ({ id: s.id, name: s.name, siteId: s.site_id, lastApplied: Number(s.last_applied), revokedAt: s.revoked_at === null ? null : Number(s.revoked_at) }));
  }

  // ---- master data -------------------------------------------------------------------------

  /** Creates or replaces master data (the register is its authority); each change is pulled by every station. */
  async putEntities(list: readonly { kind: EntityKind; id: string; data: Record<string, unknown> }[]): Promise<void> {
    await this.db.tx(async (q) => {
      const r = await revs(q);
      await insertRows(
        q,
        'insert into entities (kind, id, data, rev, deleted)',
        5,
        list.map((e) => [e.kind, e.id, JSON.stringify(e.data), r.next(), 0]),
        'on conflict (kind, id) do update set data = excluded.data, rev = excluded.rev, deleted = 0',
      );
      await r.save();
    });
  }

  /**
   * Lifts a user's sign-in locks at every station of the user's site (`npm run register -- unlock`):
   * an unlock every station pulls, where a lock that began before it counts as lifted.
   */
  async unlockSignIn(userId: string): Promise<{ id: string; siteId: string }> {
    const [row] = await this.db.all<{ data: string }>("select data from entities where kind = 'user' and id = $1 and deleted = 0", [userId]);
    if (!row) throw new RegisterError('register.unknown_user', { sv: 'Okänd användare.', en: 'Unknown user.' }, 404);
    const siteId = (JSON.parse(row.data) as { site_id?: unknown }).site_id;
    if (typeof siteId !== 'string')
      throw new RegisterError('register.user_without_site', {
        sv: 'Användaren hör inte till något förråd; låset hävs på stationen där det sitter.',
        en: 'The user belongs to no site; the lock is lifted at the station where it is.',
      });
    const at = this.options.now();
    const id = uuidv7(at);
    await this.putEntities([{ kind: 'sign_in_unlock', id, data: { id, user_id: userId, site_id: siteId, at, by_user_id: null } }]);
    return { id, siteId };
  }

  async deleteEntity(kind: EntityKind, id: string): Promise<void> {
    await this.db.tx(async (q) => {
      const r = await revs(q);
      await q.run('update entities set deleted = 1, rev = $1 where kind = $2 and id = $3', [r.next(), kind, id]);
      await r.save();
    });
  }

  // ---- audit trail --------------------------------------------------------------------------

  /**
   * Keeps a station's audit entries in the station's order, each once, checking every entry
   * against the one before it; an entry that does not follow is kept, marked, and reported back.
   * A skipped number stops the batch there; the answer says where to go on from.
   */
  async receiveAudit(
    station: StationRecord,
    entries: readonly AuditTuple[],
    key: string | undefined,
    stationHead: { seq: number; hash: string | null } | null = null,
  ): Promise<AuditPushResponse> {
    const now = this.options.now();
    return this.db.tx(async (q) => {
      // The station's chain key, kept from its first push: a push with another key is not this station's trail.
      const keyName = `audit_key:${station.id}`;
      if (key) await q.run('insert into meta (key, value) values ($1, $2) on conflict (key) do nothing', [keyName, key]);
      const [kept] = await q.all<{ value: string }>('select value from meta where key = $1', [keyName]);
      if (key && kept!.value !== key)
        throw new RegisterError(
          'sync.audit_key',
          {
            sv: 'Stationens granskningslogg är kedjad med en annan nyckel än tidigare och tas inte emot. Kontakta IT om stationen.',
            en: "The station's audit trail is chained with another key than before and is not accepted. Contact IT about this station.",
          },
          409,
        );
      // A station from before keyed chains sends no key: its unkeyed links still check.
      const chainKey = Buffer.from(kept?.value ?? '', 'hex');
      const [top] = await q.all<{ seq: number | null }>('select max(seq) as seq from audit_entries where station_id = $1', [station.id]);
      let last = Number(top?.seq ?? 0);
      let state = await this.auditState(q, station.id, chainKey);
      const rows: unknown[][] = [];
      const broken: number[] = [];
      for (const t of [...entries].sort((a, b) => a[0] - b[0])) {
        if (t[0] <= last) continue;
        if (t[0] > last + 1) break;
        const [seq, id, at, stationId, userId, action, entity, entityId, detail, hash] = t;
        const link = nextLink(chainKey, state, { id, at, stationId, userId, action, entity, entityId, detail, hash });
        // A station's trail holds only what was done at it: an entry naming another station is not its own.
        const ok = link.ok && stationId === station.id;
        if (!ok) broken.push(seq);
        rows.push([station.id, seq, id, at, stationId, userId, action, entity, entityId, detail, hash, ok ? 1 : 0, now]);
        state = link.state;
        last = seq;
      }
      await insertRows(
        q,
        'insert into audit_entries (station_id, seq, id, at, recorded_station_id, user_id, action, entity, entity_id, detail, hash, chain_ok, received_at)',
        13,
        rows,
      );
      if (stationHead) {
        // Behind the register's last, or another entry at its number: rewritten or shortened at the station.
        const [mine] = await q.all<{ hash: string | null }>('select hash from audit_entries where station_id = $1 and seq = $2', [station.id, stationHead.seq]);
        if (stationHead.seq < last || (mine && mine.hash !== stationHead.hash)) broken.push(stationHead.seq);
      }
      if (broken.length > 0) console.warn(`station ${station.name}: audit entries ${broken.join(', ')} do not follow from the entries before them`);
      const [head] = await q.all<{ seq: number; hash: string | null }>('select seq, hash from audit_entries where station_id = $1 and seq = $2', [station.id, last]);
      return { last, broken, head: head ? { seq: Number(head.seq), hash: head.hash } : null };
    });
  }

  /**
   * Where the walk along a station's trail stands after the entries the register holds: the last
   * hash, and whether the chain is keyed by then (the last entry a keyed link, or one that did not
   * check, after which only keyed links count).
   */
  private async auditState(q: Sql, stationId: string, key: Buffer): Promise<ChainState> {
    const cols = `seq, id, at, recorded_station_id as "stationId", user_id as "userId", action, entity, entity_id as "entityId", detail, hash, chain_ok`;
    type Held = ChainedEntry & { seq: number; chain_ok: number };
    const [last] = await q.all<Held>(`select ${cols} from audit_entries where station_id = $1 and hash is not null order by seq desc limit 1`, [stationId]);
    if (!last) return CHAIN_START;
    const [before] = await q.all<Held>(`select ${cols} from audit_entries where station_id = $1 and seq < $2 and hash is not null order by seq desc limit 1`, [stationId, last.seq]);
    const [after] = await q.all<{ n: number }>('select count(*) as n from audit_entries where station_id = $1 and seq > $2', [stationId, last.seq]);
    // Entries without a hash after the last with one did not check; only keyed links count after them.
    const keyed =
      Number(after!.n) > 0 ||
      Number(last.chain_ok) === 0 ||
      last.hash === chainHash(key, before?.hash ?? CHAIN_START.prev, { ...last, at: Number(last.at) });
    return { prev: last.hash!, sealed: true, keyed };
  }

  // ---- push ---------------------------------------------------------------------------------

  /**
   * Applies a station's outbox entries in order, each exactly once, in one transaction with the
   * station's last-applied number. Entries already applied are acknowledged without effect; a
   * skipped number stops the batch there (`gap`); an entry that can never apply is recorded as
   * rejected and counts as handled.
   */
  async push(station: StationRecord, entries: readonly PushEntry[]): Promise<PushResponse> {
    const now = this.options.now();
    return this.db.tx(async (q) => {
      const r = await revs(q);
      const [s] = await q.all<{ last_applied: number }>('select last_applied from stations where id = $1', [station.id]);
      let last = Number(s!.last_applied);
      const rejected: Rejection[] = [];
      let gap = false;
      const todo: PushEntry[] = [];
      for (const entry of [...entries].sort((a, b) => a.n - b.n)) {
        if (entry.n <= last) continue;
        if (entry.n > last + 1) {
          gap = true;
          break;
        }
        todo.push(entry);
        last = entry.n;
      }
      if (todo.length > 0) await this.apply(q, station, todo, r.next, rejected, now);
      await q.run('update stations set last_applied = $1, last_seen_at = $2 where id = $3', [last, now, station.id]);
      await r.save();
      return gap ? { lastApplied: last, rejected, gap } : { lastApplied: last, rejected };
    });
  }

  private async apply(q: Sql, station: StationRecord, entries: PushEntry[], nextRev: () => number, rejected: Rejection[], now: number): Promise<void> {
    const all = entries.flatMap((e) => e.m);
    const articleIds = [...new Set(all.map((m) => m[6]))];
    const locationIds = [...new Set(all.flatMap((m) => [m[9], m[10]]).filter((x): x is string => x !== null))];
    const individualIds = [...new Set(all.map((m) => m[7]).filter((x): x is string => x !== null))];
    const articles = new Map(
      (await selectIn<{ id: string; data: string }>(q, (m) => `select id, data from entities where kind = 'article' and deleted = 0 and id in (${m})`, articleIds)).map((a) => {
        const d = JSON.parse(a.data) as { rentable?: unknown };
        return [a.id, { individual: d.rentable === true || d.rentable === 1 }] as const;
      }),
    );
    const taken: Taken = {
      ids: new Set(
        (await selectIn<{ id: string }>(q, (m) => `select id from movements where id in (${m})`, [...new Set(all.map((m) => m[0]))])).map((r) => r.id),
      ),
      seqs: new Set(
        (
          await selectIn<{ seq: number }>(
            q,
            (m) => `select seq from movements where station_id = $1 and seq in (${m})`,
            [...new Set(all.map((m) => m[2]).filter((n) => Number.isSafeInteger(n) && n > 0))],
            [station.id],
          )
        ).map((r) => Number(r.seq)),
      ),
      own: new Map(
        (
          await selectIn<{ id: string; individual_id: string | null }>(
            q,
            (m) => `select mv.id, mv.individual_id from movements mv join stations s on s.id = mv.station_id where s.site_id = $1 and mv.id in (${m})`,
            [...new Set(all.map((m) => m[14]).filter((x): x is string => typeof x === 'string'))],
            [station.siteId],
          )
        ).map((r) => [r.id, r.individual_id]),
      ),
    };
    const locations = new Map(
      (await selectIn<{ id: string; data: string }>(q, (m) => `select id, data from entities where kind = 'location' and deleted = 0 and id in (${m})`, locationIds)).map((l) => {
        const d = JSON.parse(l.data) as { site_id: string; kind: LocationKind };
        return [l.id, d] as const;
      }),
    );
    const individuals = new Map<string, IndividualState>(
      (await selectIn<{ id: string; data: string }>(q, (m) => `select id, data from entities where kind = 'individual' and id in (${m})`, individualIds)).map((i) => [
        i.id,
        JSON.parse(i.data) as IndividualState,
      ]),
    );
    // What the edited master data is now, so a station changes only its own site's (and the users an unlock names).
    const edited = [...new Set(entries.flatMap((e) => (e.e ?? []).flatMap(([kind, id, data]) => (kind === 'sign_in_unlock' ? [id, data?.user_id, data?.by_user_id] : [id]))))].filter(
      (id): id is string => typeof id === 'string',
    );
    const stored = new Map(
      (await selectIn<{ kind: string; id: string; data: string }>(q, (m) => `select kind, id, data from entities where deleted = 0 and id in (${m})`, edited)).map((r) => [
        `${r.kind}\u0000${r.id}`,
        JSON.parse(r.data) as Record<string, unknown>,
      ]),
    );
    const touched = new Set<string>();
    /** Each individual's movements booked by this push so far, for the rule that decides its state. */
    const booked = new Map<string, HistoryMovement[]>();
    const movementRows: unknown[][] = [];
    const deltas = new Map<string, [string, string, string, number]>();
    const flagged: { kind: EntityKind; id: string; data: Record<string, unknown> }[] = [];
    const edits = new Map<string, { kind: EntityKind; id: string; data: Record<string, unknown> | null }>();
    const addDelta = (article: string, location: string, lot: string, q: number) => {
      const key = `${article}\u0000${location}\u0000${lot}`;
      const d = deltas.get(key);
      if (d) d[3] += q;
      else deltas.set(key, [article, location, lot, q]);
    };

    for (const entry of entries) {
      const problem = this.checkEdits(entry, station, stored) ?? this.check(entry, station, articles, locations, individuals, taken, now);
      if (problem) {
        const rejection: Rejection = { n: entry.n, ...problem };
        rejected.push(rejection);
        flagged.push({ kind: 'rejection', id: `${station.id}:${entry.n}`, data: { id: `${station.id}:${entry.n}`, station_id: station.id, station_name: station.name, n: entry.n, code: problem.code, message: problem.message, movements: entry.m, at: now } });
        continue;
      }
      for (const [kind, id, data] of entry.e ?? []) {
        edits.set(`${kind}\u0000${id}`, { kind: kind as EntityKind, id, data });
        if (data) stored.set(`${kind}\u0000${id}`, data);
      }
      const identities = new Map(entry.i.map((i) => [i[0], i]));
      for (const m of entry.m) {
        taken.ids.add(m[0]);
        taken.seqs.add(m[2]);
        taken.own.set(m[0], m[7]);
        movementRows.push([m[0], station.id, m[2], m[3], m[4], m[5], m[6], m[7], m[8], m[9], m[10], m[11], m[12], m[13], m[14] ?? null]);
        const lot = m[8] ?? '';
        if (m[9]) addDelta(m[6], m[9], lot, -m[11]);
        if (m[10]) addDelta(m[6], m[10], lot, m[11]);
        const individualId = m[7];
        if (!individualId) continue;
        let ind = individuals.get(individualId);
        if (!ind) {
          const who = identities.get(individualId)!;
          ind = { id: who[0], individual_number: who[1], article_id: who[2], serial_number: who[3], udi: who[4], status: 'in_stock', site_id: null, location_id: m[9], updated_at: m[5], last: null };
          individuals.set(individualId, ind);
        }
        const conflict = ind.location_id !== m[9];
        const mine: [number, string, string, string] = [m[4], station.id, m[0], m[12]];
        const later = !ind.last || mine[0] > ind.last[0] || (mine[0] === ind.last[0] && mine[1] > ind.last[1]);
        if (conflict) {
          const id = uuidv7(now);
          flagged.push({
            kind: 'conflict',
            id,
            data: {
              id,
              individual_id: individualId,
              individual_number: ind.individual_number,
              movements: [ind.last?.[2] ?? null, m[0]],
              stations: [ind.last?.[1] ?? null, station.id],
              kept: later ? m[0] : (ind.last?.[2] ?? null),
              at: now,
            },
          });
        }
        const to = m[10] ? locations.get(m[10])! : null;
        const mineSoFar = booked.get(individualId) ?? [];
        mineSoFar.push({ id: m[0], reason: m[12] as MovementReason, toKind: to?.kind ?? null, occurredAt: m[4], reverses: m[14] ?? null });
        booked.set(individualId, mineSoFar);
        if (later || !conflict) {
          // The same rule as at the station: an undo puts it back as its movements still standing say.
          const state: DeviceState =
            m[12] === 'correction'
              ? stateFromHistory([...(await this.history(q, individualId)), ...mineSoFar])
              : stateAfter({ status: ind.status, readySince: ind.ready_since ?? null }, m[12] as MovementReason, to, m[4]);
          ind.status = state.status;
          ind.ready_since = state.readySince;
          ind.location_id = m[10];
          ind.site_id = to?.site_id ?? null;
          ind.updated_at = m[5];
          ind.last = later ? mine : ind.last;
        }
        touched.add(individualId);
      }
    }
    const changed = [
      ...edits.values(),
      ...[...touched].map((id) => ({ kind: 'individual' as const, id, data: individuals.get(id)! as unknown as Record<string, unknown> })),
      ...flagged,
    ];
    // What the movements refer to (a new device, a new location) is numbered before them, so a
    // station pulling in small pages never meets a movement before the things it names.
    await insertRows(
      q,
      'insert into entities (kind, id, data, rev, deleted)',
      5,
      changed.map((e) => [e.kind, e.id, JSON.stringify(e.data ?? {}), nextRev(), e.data === null ? 1 : 0]),
      'on conflict (kind, id) do update set data = excluded.data, rev = excluded.rev, deleted = excluded.deleted',
    );
    // No `on conflict`: the check above keeps every id once, and a repeat must fail the push rather than count twice.
    await insertRows(q, `insert into movements (${MOVEMENT_COLUMNS}, rev)`, 16, movementRows.map((row) => [...row, nextRev()]));
    await insertRows(
      q,
      'insert into balances (article_id, location_id, lot, quantity)',
      4,
      [...deltas.values()].filter((d) => d[3] !== 0),
      'on conflict (article_id, location_id, lot) do update set quantity = balances.quantity + excluded.quantity',
    );
  }

  /**
   * Why an entry can never apply, or null when it can. A push is judged as if it came from a
   * stranger: every movement must be new (its id and its number), name a known reason, carry a
   * sensible quantity and believable dates, stay within the station's own site, and name the
   * individual of an article rented out one by one.
   */
  private check(
    entry: PushEntry,
    station: StationRecord,
    articles: Map<string, ArticleFacts>,
    locations: Map<string, { site_id: string }>,
    individuals: Map<string, IndividualState>,
    taken: Taken,
    now: number,
  ): Omit<Rejection, 'n'> | null {
    const ids = new Set<string>();
    const seqs = new Set<number>();
    for (const m of entry.m) {
      const [id, stationId, seq, , occurredAt, recordedAt, articleId, individualId, , from, to, quantity, reason] = m;
      if (stationId !== station.id)
        return { code: 'sync.foreign_movement', message: { sv: 'Rörelsen kommer från en annan station.', en: 'The movement belongs to another station.' } };
      if (!Number.isSafeInteger(seq) || seq <= 0)
        return { code: 'sync.bad_movement', message: { sv: 'Rörelsen är felaktig och kan inte bokas.', en: 'The movement is malformed and cannot be booked.' } };
      if (ids.has(id) || taken.ids.has(id) || seqs.has(seq) || taken.seqs.has(seq))
        return {
          code: 'sync.duplicate_movement',
          message: {
            sv: 'Rörelsen finns redan i registret (samma rörelse skickad igen, eller av en annan station) och bokas inte två gånger. Kontakta IT om stationen.',
            en: 'The register already holds this movement (sent again, or by another station); it is not booked twice. Contact IT about this station.',
          },
        };
      ids.add(id);
      seqs.add(seq);
      if (!isReason(reason))
        return {
          code: 'sync.unknown_reason',
          message: {
            sv: 'Rörelsen har en orsak som registret inte känner till och bokas inte. Kontrollera saldot och boka om med rätt funktion.',
            en: 'The movement has a reason the register does not know; it is not booked. Check the stock and book it again with the right function.',
          },
        };
      if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY)
        return {
          code: 'sync.bad_quantity',
          message: {
            sv: `Antalet i rörelsen är inte ett heltal mellan 1 och ${MAX_QUANTITY.toLocaleString('sv-SE')}; den bokas inte. Räkna varan och boka om.`,
            en: `The movement's quantity is not a whole number from 1 to ${MAX_QUANTITY.toLocaleString('en-GB')}; it is not booked. Count the goods and book them again.`,
          },
        };
      const badDate =
        !Number.isSafeInteger(recordedAt) || recordedAt < EARLIEST_MS || recordedAt > now + MAX_CLOCK_SKEW_MS
          ? {
              sv: 'Stationens klocka visade ett orimligt datum när rörelsen bokades; den bokas inte. Kontrollera stationens klocka och boka om.',
              en: "The station's clock showed an impossible date when the movement was booked; it is not booked. Check the station's clock and book it again.",
            }
          : badOccurredAt(occurredAt, recordedAt);
      if (badDate) return { code: 'sync.bad_date', message: badDate };
      const article = articles.get(articleId);
      if (!article)
        return {
          code: 'sync.article_gone',
          message: { sv: 'Artikeln finns inte längre i registret. Kontrollera varan och boka den på rätt artikel.', en: 'The article no longer exists in the register. Check the goods and book them to the right article.' },
        };
      for (const loc of [from, to]) {
        if (loc === null) continue;
        const place = locations.get(loc);
        if (!place)
          return {
            code: 'sync.location_gone',
            message: { sv: 'Lagerplatsen finns inte längre i registret. Flytta varan till en giltig plats.', en: 'The location no longer exists in the register. Move the goods to a valid location.' },
          };
        if (place.site_id !== station.siteId)
          return {
            code: 'sync.other_site',
            message: {
              sv: 'Rörelsen gäller en lagerplats i ett annat förråd än stationens och bokas inte. Varor i andra förråd bokas av deras egna stationer.',
              en: "The movement concerns a location at another site than the station's; it is not booked. Goods at other sites are booked by their own stations.",
            },
          };
      }
      if ((individualId !== null && quantity !== 1) || from === to)
        return { code: 'sync.bad_movement', message: { sv: 'Rörelsen är felaktig och kan inte bokas.', en: 'The movement is malformed and cannot be booked.' } };
      if (individualId === null && article.individual)
        return {
          code: 'sync.individual_required',
          message: {
            sv: 'Artikeln hyrs ut styckvis och rörelsen saknar individ; den bokas inte. Skanna individmärkningen och boka om.',
            en: 'The article is rented out one by one and the movement names no individual; it is not booked. Scan the individual label and book it again.',
          },
        };
      // A correction reverses a movement of this station's site of the same goods, and only a correction names one.
      const reverses = m[14] ?? null;
      if (reverses !== null && (reason !== 'correction' || !taken.own.has(reverses) || taken.own.get(reverses) !== individualId))
        return {
          code: 'sync.bad_correction',
          message: {
            sv: 'Rättelsen hänvisar till en rörelse som stationen inte har bokat; den bokas inte. Kontakta IT om stationen.',
            en: 'The correction refers to a movement the station has not booked; it is not booked. Contact IT about this station.',
          },
        };
      if (individualId !== null) {
        const known = individuals.get(individualId);
        const identity = entry.i.find((i) => i[0] === individualId);
        if (!known && !identity)
          return { code: 'sync.unknown_individual', message: { sv: 'Individen är okänd för registret.', en: 'The individual is unknown to the register.' } };
        if ((known?.article_id ?? identity![2]) !== articleId)
          return { code: 'sync.individual_article', message: { sv: 'Individen hör till en annan artikel i registret.', en: 'The individual belongs to another article in the register.' } };
      }
    }
    return null;
  }

  /**
   * Why a station's changes to master data can never apply, or null: a station changes only what
   * belongs to its own site (a pallet: one built here or addressed here, never re-addressed), and
   * deletes nothing.
   */
  private checkEdits(entry: PushEntry, station: StationRecord, stored: Map<string, Record<string, unknown>>): Omit<Rejection, 'n'> | null {
    const refused = {
      code: 'sync.not_editable',
      message: {
        sv: 'Stationen får bara ändra grunddata för sitt eget förråd; ändringen sparas inte. Kontakta IT om stationen.',
        en: "A station may change only its own site's master data; the change is not saved. Contact IT about this station.",
      },
    };
    for (const [kind, id, data] of entry.e ?? []) {
      if (!FROM_STATIONS.has(kind) || data === null) return refused;
      const before = stored.get(`${kind}\u0000${id}`);
      const ours = (d: Record<string, unknown>) => d.site_id === station.siteId || (kind === 'pallet' && d.to_site_id === station.siteId);
      if (!ours(data) || (before && !ours(before))) return refused;
      if (kind === 'pallet' && before && (before.site_id !== data.site_id || before.to_site_id !== data.to_site_id || before.sscc !== data.sscc)) return refused;
      if (kind === 'sign_in_unlock' && !this.unlockHolds(id, data, before, stored)) return refused;
    }
    return null;
  }

  /**
   * An unlock a station sends lifts the sign-in locks of a user of its own site: it is new (never
   * changed afterwards), names the user and the administrator as the register knows them, and its
   * time is believable (one far ahead would lift locks that have not happened yet).
   */
  private unlockHolds(id: string, data: Record<string, unknown>, before: Record<string, unknown> | undefined, stored: Map<string, Record<string, unknown>>): boolean {
    const user = typeof data.user_id === 'string' ? stored.get(`user\u0000${data.user_id}`) : undefined;
    const by = typeof data.by_user_id === 'string' ? stored.get(`user\u0000${data.by_user_id}`) : undefined;
    const at = data.at;
    return (
      before === undefined &&
      data.id === id &&
      user !== undefined &&
      user.site_id === data.site_id &&
      by?.role === 'admin' &&
      (by.active === 1 || by.active === true) &&
      typeof at === 'number' &&
      Number.isSafeInteger(at) &&
      at >= EARLIEST_MS &&
      // A few minutes of clock drift, no more: an unlock dated ahead would lift locks not yet begun.
      at <= this.options.now() + UNLOCK_SKEW_MS
    );
  }

  /** An individual's movements the register holds, in the order they were recorded. */
  private async history(q: Sql, individualId: string): Promise<HistoryMovement[]> {
    const rows = await q.all<{ id: string; reason: string; occurred_at: number; reverses: string | null; data: string | null }>(
      `select mv.id, mv.reason, mv.occurred_at, mv.reverses, e.data from movements mv left join entities e on e.kind = 'location' and e.id = mv.to_location_id
       where mv.individual_id = $1 order by mv.recorded_at, mv.station_id, mv.seq`,
      [individualId],
    );
    return rows.map((r) => ({
      id: r.id,
      reason: r.reason as MovementReason,
      toKind: r.data ? (JSON.parse(r.data) as { kind: LocationKind }).kind : null,
      occurredAt: Number(r.occurred_at),
      reverses: r.reverses,
    }));
  }

  // ---- pull ---------------------------------------------------------------------------------

  async head(): Promise<number> {
    const [row] = await this.db.all<{ value: number }>("select value from counters where name = 'rev'");
    return Number(row!.value);
  }

  /**
   * Changes after `cursor`, at most `limit` of them, oldest first. The station's own movements
   * are left out (it holds them already); the cursor still moves past them.
   */
  async pull(station: StationRecord, epoch: string | null, cursor: number, limit = 5_000): Promise<PullPage | ResyncNeeded> {
    if (epoch !== this.epoch) return { resync: true, reason: 'epoch' };
    return this.db.read(async (q) => {
      const [h] = await q.all<{ value: number }>("select value from counters where name = 'rev'");
      const head = Number(h!.value);
      const [c] = await q.all<{ value: string }>("select value from meta where key = 'compacted_below'");
      if (cursor > head || cursor < Number(c!.value)) return { resync: true, reason: 'cursor' } as const;
      if (head - cursor > this.options.resyncBehind) return { resync: true, reason: 'behind' } as const;
      const es = await q.all<{ rev: number; kind: string; id: string; data: string; deleted: number }>(
        'select rev, kind, id, data, deleted from entities where rev > $1 order by rev limit $2',
        [cursor, limit],
      );
      const ms = await q.all<Record<string, unknown>>(`select ${MOVEMENT_COLUMNS}, rev from movements where rev > $1 and station_id <> $2 order by rev limit $3`, [
        cursor,
        station.id,
        limit,
      ]);
      // Merge the two by rev and keep the first `limit`.
      let i = 0;
      let j = 0;
      let to = cursor;
      const e: EntityChange[] = [];
      const m: MovementTuple[] = [];
      while (e.length + m.length < limit && (i < es.length || j < ms.length)) {
        const er = es[i];
        const mr = ms[j];
        if (er && (!mr || Number(er.rev) < Number(mr.rev))) {
          e.push([er.kind, er.id, Number(er.deleted) ? null : (JSON.parse(er.data) as Record<string, unknown>)]);
          to = Number(er.rev);
          i++;
        } else {
          m.push(tupleOf(mr!));
          to = Number(mr!.rev);
          j++;
        }
      }
      // Everything after the cursor was read (what is left is the station's own): it is up to date.
      if (i === es.length && j === ms.length && es.length < limit && ms.length < limit) to = head;
      await this.touch(station.id);
      return { epoch: this.epoch, cursor: to, head, more: to < head, e, m };
    });
  }

  private async touch(stationId: string): Promise<void> {
    // Kept out of the read snapshot's transaction on SQLite (a separate, read-only connection).
    void this.db.run('update stations set last_seen_at = $1 where id = $2', [this.options.now(), stationId]).catch(() => undefined);
  }

  /**
   * A full copy, consistent at one cursor: master data, the individuals as they stand, stock as
   * balances, and the movements of the last `historyDays` days. Lines (JSON text) go to `write`
   * as they are read; `write` may return a promise to hold the reading back.
   */
  async snapshot(write: (line: string) => Promise<void> | void): Promise<SnapshotHeader> {
    const since = this.options.now() - this.options.historyDays * DAY;
    return this.db.read(async (q) => {
      const [h] = await q.all<{ value: number }>("select value from counters where name = 'rev'");
      const count = async (text: string, params: unknown[] = []) => Number((await q.all<{ n: number }>(text, params))[0]!.n);
      const header: SnapshotHeader = {
        epoch: this.epoch,
        cursor: Number(h!.value),
        counts: {
          entities: await count('select count(*) as n from entities where deleted = 0'),
          movements: await count('select count(*) as n from movements where occurred_at >= $1', [since]),
          balances: await count('select count(*) as n from balances where quantity <> 0'),
        },
      };
      await write(JSON.stringify(header));
      const page = 10_000;
      for (const kind of ENTITY_KINDS) {
        let after = '';
        for (;;) {
          const rows = await q.all<{ id: string; data: string }>(
            'select id, data from entities where kind = $1 and deleted = 0 and id > $2 order by id limit $3',
            [kind, after, page],
          );
          // The stored JSON goes out as it is, without being parsed and written again.
          const prefix = `["e",${JSON.stringify(kind)},`;
          for (const r of rows) {
            const w = write(`${prefix}${JSON.stringify(r.id)},${r.data}]`);
            if (w) await w;
          }
          if (rows.length < page) break;
          after = rows[rows.length - 1]!.id;
        }
      }
      let after = '';
      for (;;) {
        const rows = await q.all<Record<string, unknown>>(
          `select ${MOVEMENT_COLUMNS} from movements where occurred_at >= $1 and id > $2 order by id limit $3`,
          [since, after, page],
        );
        for (const r of rows) {
          const w = write(JSON.stringify(['m', ...tupleOf(r)]));
          if (w) await w;
        }
        if (rows.length < page) break;
        after = rows[rows.length - 1]!.id as string;
      }
      let key: [string, string, string] = ['', '', ''];
      for (;;) {
        const rows = await q.all<{ article_id: string; location_id: string; lot: string; quantity: number }>(
          `select article_id, location_id, lot, quantity from balances
           where quantity <> 0 and (article_id > $1 or (article_id = $1 and (location_id > $2 or (location_id = $2 and lot > $3))))
           order by article_id, location_id, lot limit $4`,
          [...key, page],
        );
        for (const b of rows) {
          const w = write(JSON.stringify(['b', b.article_id, b.location_id, b.lot, Number(b.quantity)]));
          if (w) await w;
        }
        if (rows.length < page) break;
        const l = rows[rows.length - 1]!;
        key = [l.article_id, l.location_id, l.lot];
      }
      return header;
    });
  }

  /** Stock as the register sees it: non-zero balances keyed `article|location|lot`. */
  async stock(): Promise<Map<string, number>> {
    const rows = await this.db.all<{ article_id: string; location_id: string; lot: string; quantity: number }>(
      'select article_id, location_id, lot, quantity from balances where quantity <> 0',
    );
    return new Map(rows.map((b) => [`${b.article_id}|${b.location_id}|${b.lot}`, Number(b.quantity)]));
  }

  /**
   * Checks that the stock the register holds is its ledger's sum: for every article, location
   * and lot, the balance equals what the movements brought there minus what they took away.
   * One consistent read; the first differences are listed.
   */
  async verifyLedger(): Promise<LedgerCheck> {
    return this.db.read(async (q) => {
      const sums = await q.all<{ article_id: string; location_id: string; lot: string; quantity: number | string }>(
        `select article_id, location_id, lot, sum(quantity) as quantity from (
           select article_id, to_location_id as location_id, coalesce(lot, '') as lot, quantity from movements where to_location_id is not null
           union all
           select article_id, from_location_id as location_id, coalesce(lot, '') as lot, -quantity from movements where from_location_id is not null
         ) t group by article_id, location_id, lot`,
      );
      const balances = await q.all<{ article_id: string; location_id: string; lot: string; quantity: number }>('select article_id, location_id, lot, quantity from balances');
      const [count] = await q.all<{ n: number }>('select count(*) as n from movements');
      const places = new Map<string, LedgerDifference>();
      const at = (r: { article_id: string; location_id: string; lot: string }) => {
        const key = `${r.article_id}\u0000${r.location_id}\u0000${r.lot}`;
        let p = places.get(key);
        if (!p) places.set(key, (p = { articleId: r.article_id, locationId: r.location_id, lot: r.lot, balance: 0, movements: 0 }));
        return p;
      };
      for (const r of sums) at(r).movements += Number(r.quantity);
      for (const b of balances) at(b).balance += Number(b.quantity);
      const differences = [...places.values()].filter((p) => p.balance !== p.movements);
      return { ok: differences.length === 0, places: places.size, movements: Number(count!.n), differences: differences.slice(0, 100) };
    });
  }

  /** Forgets the change log below `rev` for movements older than the history kept; stations behind it get a full copy. */
  async markCompactedBelow(rev: number): Promise<void> {
    await this.db.run("update meta set value = $1 where key = 'compacted_below'", [String(rev)]);
  }
}

