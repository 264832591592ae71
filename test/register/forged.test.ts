/**
 * The register judges a push as if it came from a stranger: a movement that repeats an id or a
 * number, names an unknown reason, carries an impossible quantity or date, books another site's
 * location, or moves a rented-out article without its individual is rejected with its entry. The
 * rejection is recorded for the station's supervisor, the station's queue moves on, the entry
 * leaves no trace, and the register's stock stays the sum of its movements.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../db/ids';
import { MAX_QUANTITY } from '../../db/stock/rules';
import { decodeMovement, encodeMovement, pack, type IndividualTuple, type Movement, type PushEntry, type PushResponse } from '../../db/sync/wire';
import type { Register, StationRecord } from '../../register/register';
import { STORES, tinyRegister, type TestRegister } from '../sync/harness';

const YEAR_2200 = Date.UTC(2200, 0, 1);
const DAY = 86_400_000;

interface World {
  reg: TestRegister;
  register: Register;
  sites: string[];
  /** Active locations per site. */
  locations: Map<string, string[]>;
  /** Articles moved in bulk (not rented out one by one, no lots). */
  bulk: string[];
  /** Articles rented out one by one. */
  rentable: string[];
  user: string;
}

async function world(kind: 'sqlite' | 'postgres'): Promise<World> {
  const reg = await tinyRegister(kind);
  const register = reg.register;
  const rows = async (what: string) => (await register.db.all<{ id: string; data: string }>(`select id, data from entities where kind = $1 and deleted = 0 order by id`, [what])).map((r): Record<string, unknown> & { id: string } => ({ ...(JSON.parse(r.data) as Record<string, unknown>), id: r.id }));
  const sites = (await rows('site')).map((s) => s.id);
  const locations = new Map<string, string[]>(sites.map((s) => [s, []]));
  for (const l of await rows('location')) if (l.retired_at === null || l.retired_at === undefined) locations.get(l.site_id as string)?.push(l.id);
  const articles = await rows('article');
  const rented = (a: Record<string, unknown>) => a.rentable === true || a.rentable === 1;
  return {
    reg,
    register,
    sites,
    locations,
    bulk: articles.filter((a) => !rented(a) && a.tracking === 'none').map((a) => a.id),
    rentable: articles.filter(rented).map((a) => a.id),
    user: (await rows('user'))[0]!.id,
  };
}

/** A station that writes its outbox entries by hand. */
class Forger {
  n = 0;
  seq = 0;
  private constructor(
    readonly w: World,
    readonly record: StationRecord,
    readonly token: string,
  ) {}

  static async enrol(w: World, site: number): Promise<Forger> {
    const code = await w.register.createEnrolmentCode({ stationName: `Forger ${site}`, siteId: w.sites[site]! });
    const { token } = await w.register.enrol(code);
    return new Forger(w, (await w.register.authenticate(token))!, token);
  }

  get here(): string[] {
    return this.w.locations.get(this.record.siteId)!;
  }

  /** A plain move between two of the station's own locations, changed by `over`. */
  move(over: Partial<Record<'id' | 'seq' | 'occurredAt' | 'recordedAt' | 'articleId' | 'individualId' | 'from' | 'to' | 'quantity' | 'reason' | 'reverses', unknown>> = {}): Movement {
    const now = Date.now();
    const v = { id: uuidv7(), seq: ++this.seq, occurredAt: now, recordedAt: now, articleId: this.w.bulk[0]!, individualId: null, from: this.here[0]!, to: this.here[1]!, quantity: 1, reason: 'move', reverses: null, ...over };
    const { from, to, ...rest } = v;
    return { ...rest, stationId: this.record.id, userId: this.w.user, lot: null, fromLocationId: from, toLocationId: to, orderRef: null } as Movement;
  }

  entry(m: Movement[], i: IndividualTuple[] = []): PushEntry {
    return { n: ++this.n, m: m.map(encodeMovement), i };
  }

  /** Pushes over HTTP, as a station does. */
  async push(entries: PushEntry[]): Promise<{ status: number; body: PushResponse }> {
    const res = await fetch(`${this.w.reg.server.url}/sync/push`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${this.token}`, 'Content-Encoding': 'gzip', 'Content-Type': 'application/json' },
      body: new Uint8Array(pack({ entries })),
    });
    return { status: res.status, body: (await res.json()) as PushResponse };
  }
}

/** The ids of an entry's movements, as the register reads them. */
const idsOf = (entry: PushEntry) => entry.m.map((m) => decodeMovement(m).id);

const heldIds = async (register: Register, ids: readonly string[]) =>
  ids.length === 0 ? [] : (await register.db.all<{ id: string }>(`select id from movements where id in (${ids.map((_, i) => `$${i + 1}`).join(', ')})`, ids)).map((r) => r.id);

type Forge = (f: Forger, w: World) => { m: Movement[]; i?: IndividualTuple[]; code: string };

const CASES: [string, Forge][] = [
  ['the same movement id twice in one entry', (f) => {
    const a = f.move();
    return { m: [a, f.move({ id: a.id })], code: 'sync.duplicate_movement' };
  }],
  ['the same movement number twice in one entry', (f) => {
    const a = f.move();
    return { m: [a, f.move({ seq: a.seq })], code: 'sync.duplicate_movement' };
  }],
  ['the reason "steal"', (f) => ({ m: [f.move(), f.move({ reason: 'steal' })], code: 'sync.unknown_reason' })],
  ['a quantity of 10^15', (f) => ({ m: [f.move({ quantity: 1e15 })], code: 'sync.bad_quantity' })],
  ['a quantity above the most one movement carries', (f) => ({ m: [f.move({ quantity: MAX_QUANTITY + 1 })], code: 'sync.bad_quantity' })],
  ['a quantity of 0', (f) => ({ m: [f.move({ quantity: 0 })], code: 'sync.bad_quantity' })],
  ['a quantity of 1.5', (f) => ({ m: [f.move({ quantity: 1.5 })], code: 'sync.bad_quantity' })],
  ['a negative quantity', (f) => ({ m: [f.move({ from: f.here[1], to: f.here[0], quantity: -5 })], code: 'sync.bad_quantity' })],
  ['a location of another site (from)', (f, w) => ({ m: [f.move({ from: w.locations.get(w.sites.find((s) => s !== f.record.siteId)!)![0] })], code: 'sync.other_site' })],
  ['a location of another site (to)', (f, w) => ({ m: [f.move({ from: null, to: w.locations.get(w.sites.find((s) => s !== f.record.siteId)!)![0], reason: 'receipt' })], code: 'sync.other_site' })],
  ['an occurred-at in 2200', (f) => ({ m: [f.move({ occurredAt: YEAR_2200 })], code: 'sync.bad_date' })],
  ['a recorded-at (and occurred-at) in 2200', (f) => ({ m: [f.move({ occurredAt: YEAR_2200, recordedAt: YEAR_2200 })], code: 'sync.bad_date' })],
  ['an occurred-at in 1970', (f) => ({ m: [f.move({ occurredAt: 0 })], code: 'sync.bad_date' })],
  ['a recorded-at (and occurred-at) in 1970', (f) => ({ m: [f.move({ occurredAt: 1000, recordedAt: 1000 })], code: 'sync.bad_date' })],
  ['an occurred-at further back than a movement may be dated', (f) => ({ m: [f.move({ occurredAt: Date.now() - 90 * DAY })], code: 'sync.bad_date' })],
  ['a rented-out article moved without its individual', (f, w) => ({ m: [f.move({ articleId: w.rentable[0] })], code: 'sync.individual_required' })],
  ['a movement number of 0', (f) => ({ m: [f.move({ seq: 0 })], code: 'sync.bad_movement' })],
];

describe.each(STORES)('a forged push on %s', (kind) => {
  it('rejects each forged entry with a code its supervisor sees, books the entries around it, and never blocks the queue', async () => {
    const w = await world(kind);
    const a = await Forger.enrol(w, 0);
    const before = await w.register.stock();
    const good: string[] = [];
    const bad: string[] = [];
    const expected: { n: number; code: string }[] = [];
    for (const [, forge] of CASES) {
      const ok1 = a.entry([a.move()]);
      const f = forge(a, w);
      const forged = a.entry(f.m, f.i);
      const ok2 = a.entry([a.move({ from: a.here[1], to: a.here[0], quantity: 2 })]);
      expected.push({ n: forged.n, code: f.code });
      good.push(...idsOf(ok1), ...idsOf(ok2));
      bad.push(...idsOf(forged).filter((id) => !good.includes(id)));
      const res = await a.push([ok1, forged, ok2]);
      // Never a refused request (that would hold the station's queue): the entry is rejected and counts as handled.
      expect(res.status).toBe(200);
      expect(res.body.lastApplied).toBe(ok2.n);
      expect(res.body.rejected.map((r) => ({ n: r.n, code: r.code }))).toEqual([{ n: forged.n, code: f.code }]);
      expect(res.body.rejected[0]!.message.sv.length).toBeGreaterThan(10);
    }
    expect((await heldIds(w.register, good)).sort()).toEqual([...good].sort());
    expect(await heldIds(w.register, bad)).toEqual([]);
    // Only the booked entries moved stock: one there and two back, per case.
    const after = await w.register.stock();
    const key = (loc: string) => `${w.bulk[0]}|${loc}|`;
    expect((after.get(key(a.here[0]!)) ?? 0) - (before.get(key(a.here[0]!)) ?? 0)).toBe(CASES.length);
    expect((after.get(key(a.here[1]!)) ?? 0) - (before.get(key(a.here[1]!)) ?? 0)).toBe(-CASES.length);
    expect(await w.register.verifyLedger()).toMatchObject({ ok: true, differences: [] });
    // Each rejection is recorded for the station to pull and show its supervisor.
    const page = await w.register.pull(a.record, w.register.epoch, 0, 100_000);
    if ('resync' in page) throw new Error('unexpected resync');
    const rejections = page.e.filter(([k, , d]) => k === 'rejection' && d?.station_id === a.record.id).map(([, , d]) => ({ n: d!.n, code: d!.code }));
    expect(rejections).toEqual(expected);
  });

  it('takes a station\'s changes to master data only for its own site, and never a deletion', async () => {
    const w = await world(kind);
    const a = await Forger.enrol(w, 0);
    const location = async (id: string) => {
      const [r] = await w.register.db.all<{ data: string }>("select data from entities where kind = 'location' and id = $1", [id]);
      return JSON.parse(r!.data) as Record<string, unknown>;
    };
    const mine = a.here[0]!;
    const theirs = w.locations.get(w.sites.find((s) => s !== a.record.siteId)!)![0]!;
    const before = await location(theirs);
    const edit = (e: PushEntry['e']): PushEntry => ({ n: ++a.n, m: [], i: [], e });
    const res = await a.push([
      // Another site's shelf claimed as this site's, then stock taken from it.
      edit([['location', theirs, { ...before, site_id: a.record.siteId }]]),
      a.entry([a.move({ from: theirs, to: mine })]),
      edit([['location', mine, null]]),
      edit([['location', mine, { ...(await location(mine)), name: 'Hylla A (ny skylt)' }]]),
    ]);
    expect(res.status).toBe(200);
    expect(res.body.lastApplied).toBe(4);
    expect(res.body.rejected.map((r) => ({ n: r.n, code: r.code }))).toEqual([
      { n: 1, code: 'sync.not_editable' },
      { n: 2, code: 'sync.other_site' },
      { n: 3, code: 'sync.not_editable' },
    ]);
    expect(await location(theirs)).toEqual(before);
    expect(await location(mine)).toMatchObject({ name: 'Hylla A (ny skylt)' });
  });

  it('takes a correction only of a movement of the station\'s own site, and only from a correction', async () => {
    const w = await world(kind);
    const a = await Forger.enrol(w, 0);
    const b = await Forger.enrol(w, 1); // a station of another site
    const theirs = b.move();
    await b.push([b.entry([theirs])]);
    const mine = a.move();
    const undo = (of: Movement, over: Partial<Record<'reason', string>> = {}): Movement =>
      a.move({ from: of.toLocationId, to: of.fromLocationId, reason: 'correction', reverses: of.id, ...over });
    // Another site's movement, "undone" here between this site's own shelves.
    const disguised: Movement = { ...theirs, fromLocationId: a.here[0]!, toLocationId: a.here[1]! };
    const res = await a.push([
      a.entry([mine]),
      a.entry([undo(disguised)]),
      a.entry([undo(mine, { reason: 'move' })]), // only a correction names what it reverses
      a.entry([undo(mine)]),
    ]);
    expect(res.status).toBe(200);
    expect(res.body.lastApplied).toBe(4);
    expect(res.body.rejected.map((r) => ({ n: r.n, code: r.code }))).toEqual([
      { n: 2, code: 'sync.bad_correction' },
      { n: 3, code: 'sync.bad_correction' },
    ]);
    expect(await w.register.verifyLedger()).toMatchObject({ ok: true });
  });

  it('rejects a movement id another station already used, and one repeated later in the same push', async () => {
    const w = await world(kind);
    const a = await Forger.enrol(w, 0);
    const b = await Forger.enrol(w, 1);
    const theirs = b.move();
    expect((await b.push([b.entry([theirs])])).body).toEqual({ lastApplied: 1, rejected: [] });
    const stolen = a.entry([a.move({ id: theirs.id })]);
    const firstMove = a.move();
    const first = a.entry([firstMove]);
    const again = a.entry([a.move({ id: firstMove.id })]);
    const res = await a.push([stolen, first, again]);
    expect(res).toEqual({
      status: 200,
      body: { lastApplied: 3, rejected: [expect.objectContaining({ n: 1, code: 'sync.duplicate_movement' }), expect.objectContaining({ n: 3, code: 'sync.duplicate_movement' })] },
    });
    const [held] = await w.register.db.all<{ station_id: string }>('select station_id from movements where id = $1', [theirs.id]);
    expect(held!.station_id).toBe(b.record.id);
    const [n] = await w.register.db.all<{ n: number }>('select count(*) as n from movements where station_id = $1', [a.record.id]);
    expect(Number(n!.n)).toBe(1);
    // A movement number this station already used (pushed before) is rejected too.
    const reused = await a.push([a.entry([a.move({ seq: firstMove.seq })])]);
    expect(reused.body.rejected.map((r) => r.code)).toEqual(['sync.duplicate_movement']);
    expect(await w.register.verifyLedger()).toMatchObject({ ok: true });
  });

  it('refuses a push that takes a device back from a patient to a shelf without washing and inspection, however it is dressed', async () => {
    const w = await world(kind);
    const a = await Forger.enrol(w, 0);
    const onLoan = await w.register.db.all<{ id: string; data: string }>(`select id, data from entities where kind = 'individual' and data like '%"status":"on_loan"%' order by id limit 2`);
    const places = new Map((await w.register.db.all<{ id: string; data: string }>("select id, data from entities where kind = 'location' and deleted = 0")).map((l) => [l.id, JSON.parse(l.data) as { site_id: string; kind: string }]));
    const mine = (kind: string) => a.here.find((l) => places.get(l)?.kind === kind)!;
    const [first, second] = onLoan.map((r) => ({ id: r.id, articleId: (JSON.parse(r.data) as { article_id: string }).article_id }));
    const before = await w.register.stock();
    const res = await a.push([
      // Straight from the patient onto a shelf, as a kiosk put-back once did.
      a.entry([a.move({ articleId: first!.articleId, individualId: first!.id, from: null, to: mine('shelf'), reason: 'return' })]),
      // Into returns as it should, then onto a shelf by a stock move in the same entry.
      a.entry([
        a.move({ articleId: second!.articleId, individualId: second!.id, from: null, to: mine('returns'), reason: 'return' }),
        a.move({ articleId: second!.articleId, individualId: second!.id, from: mine('returns'), to: mine('shelf'), reason: 'move' }),
      ]),
    ]);
    expect(res.body.rejected.map((r) => ({ n: r.n, code: r.code }))).toEqual([
      { n: 1, code: 'sync.not_ready' },
      { n: 2, code: 'sync.not_ready' },
    ]);
    expect(res.body.rejected[0]!.message.sv).toContain('rengöring och kontroll');
    expect(await w.register.stock()).toEqual(before);
    // Taken back into returns alone, it is booked.
    expect((await a.push([a.entry([a.move({ articleId: first!.articleId, individualId: first!.id, from: null, to: mine('returns'), reason: 'return' })])])).body.rejected).toEqual([]);
    // Another station of the site that moved it between shelves meanwhile, not knowing: that is two
    // stations disagreeing about one device, booked and recorded as a conflict for a supervisor, not refused.
    const b = await Forger.enrol(w, 0);
    const shelves = b.here.filter((l) => places.get(l)?.kind === 'shelf');
    const moved = await b.push([b.entry([b.move({ articleId: first!.articleId, individualId: first!.id, from: shelves[0], to: shelves[1], reason: 'move' })])]);
    expect(moved.body.rejected).toEqual([]);
    const conflicts = await w.register.db.all<{ data: string }>("select data from entities where kind = 'conflict'");
    expect(conflicts.map((c) => (JSON.parse(c.data) as { individual_id: string }).individual_id)).toContain(first!.id);
  });

  it('leaves no trace of a rejected entry: no movement, no stock, the individual where it was', async () => {
    const w = await world(kind);
    const a = await Forger.enrol(w, 0);
    const [ind] = await w.register.db.all<{ id: string; data: string; rev: number }>(
      `select id, data, rev from entities where kind = 'individual' and data like $1 and data like '%"status":"in_stock"%' order by id limit 1`,
      [`%"site_id":"${a.record.siteId}"%`],
    );
    const individual = JSON.parse(ind!.data) as { article_id: string; location_id: string };
    const to = a.here.find((l) => l !== individual.location_id)!;
    const before = await w.register.stock();
    const forged = a.entry([
      a.move({ articleId: individual.article_id, individualId: ind!.id, from: individual.location_id, to }),
      a.move({ quantity: 5 }),
      a.move({ reason: 'steal' }),
    ]);
    const res = await a.push([forged]);
    expect(res.body).toMatchObject({ lastApplied: 1, rejected: [{ n: 1, code: 'sync.unknown_reason' }] });
    expect(await heldIds(w.register, idsOf(forged))).toEqual([]);
    expect(await w.register.stock()).toEqual(before);
    const [now] = await w.register.db.all<{ data: string; rev: number }>("select data, rev from entities where kind = 'individual' and id = $1", [ind!.id]);
    expect(now).toEqual({ data: ind!.data, rev: ind!.rev });
  });

  it('finds stock that disagrees with the movements', async () => {
    const w = await world(kind);
    const clean = await w.register.verifyLedger();
    expect(clean).toMatchObject({ ok: true, differences: [] });
    expect(clean.movements).toBeGreaterThan(0);
    expect(clean.places).toBeGreaterThan(0);
    const [b] = await w.register.db.all<{ article_id: string; location_id: string; lot: string; quantity: number }>(
      'select article_id, location_id, lot, quantity from balances where quantity > 0 order by article_id, location_id, lot limit 1',
    );
    await w.register.db.run('update balances set quantity = quantity + 3 where article_id = $1 and location_id = $2 and lot = $3', [b!.article_id, b!.location_id, b!.lot]);
    const found = await w.register.verifyLedger();
    expect(found.ok).toBe(false);
    expect(found.differences).toEqual([{ articleId: b!.article_id, locationId: b!.location_id, lot: b!.lot, balance: Number(b!.quantity) + 3, movements: Number(b!.quantity) }]);
  });

  const FORGES = ['dupInEntry', 'dupEarlier', 'seqAgain', 'reason', 'huge', 'zero', 'fraction', 'otherSite', 'future', 'past', 'rentable'] as const;
  type Kind = (typeof FORGES)[number];
  const CODE: Record<Kind, string> = {
    dupInEntry: 'sync.duplicate_movement',
    dupEarlier: 'sync.duplicate_movement',
    seqAgain: 'sync.duplicate_movement',
    reason: 'sync.unknown_reason',
    huge: 'sync.bad_quantity',
    zero: 'sync.bad_quantity',
    fraction: 'sync.bad_quantity',
    otherSite: 'sync.other_site',
    future: 'sync.bad_date',
    past: 'sync.bad_date',
    rentable: 'sync.individual_required',
  };
  const step = fc.record({
    s: fc.nat(1),
    forge: fc.option(fc.constantFrom(...FORGES), { nil: null, freq: 2 }),
    moves: fc.array(fc.record({ shape: fc.nat(2), article: fc.nat(), from: fc.nat(), to: fc.nat(), quantity: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 1000 }) }, { weight: 1, arbitrary: fc.constant(MAX_QUANTITY) }) }), { minLength: 1, maxLength: 3 }),
    at: fc.nat(),
    push: fc.boolean(),
  });

  it('keeps stock equal to the ledger under any mix of honest and forged entries from two stations', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        const w = await world(kind);
        try {
          const stations = [await Forger.enrol(w, 0), await Forger.enrol(w, 1)];
          const pending: PushEntry[][] = [[], []];
          const rejected: Map<number, string>[] = [new Map(), new Map()];
          const want: Map<number, string>[] = [new Map(), new Map()];
          const booked: string[] = [];
          /** Honest movements the register holds. */
          const held: Movement[] = [];
          const honest = (s: number) => pending[s]!.filter((e) => !want[s]!.has(e.n)).flatMap((e) => e.m.map(decodeMovement));
          const flush = async (s: number) => {
            if (pending[s]!.length === 0) return;
            const res = await stations[s]!.push(pending[s]!);
            expect(res.status).toBe(200);
            expect(res.body.lastApplied).toBe(stations[s]!.n);
            for (const r of res.body.rejected) rejected[s]!.set(r.n, r.code);
            held.push(...honest(s));
            pending[s] = [];
          };
          for (const st of steps) {
            const f = stations[st.s]!;
            const here = f.here;
            const m = st.moves.map((v) => {
              const a = here[v.from % here.length]!;
              const b = here[(v.from + 1 + (v.to % (here.length - 1))) % here.length]!;
              const [from, to, reason] = v.shape === 0 ? [a, b, 'move'] : v.shape === 1 ? [null, a, 'receipt'] : [a, null, 'delivery'];
              return f.move({ articleId: w.bulk[v.article % w.bulk.length], from, to, quantity: v.quantity, reason });
            });
            if (st.forge) {
              // Earlier honest movements this push may repeat: booked already, or before this entry in the same push.
              const earlier = [...held, ...honest(st.s)];
              const mine = earlier.filter((x) => x.stationId === f.record.id);
              const other = w.sites.find((x) => x !== f.record.siteId)!;
              const bad = {
                dupInEntry: () => f.move({ id: m[0]!.id }),
                dupEarlier: () => f.move({ id: (earlier[st.at % Math.max(1, earlier.length)] ?? m[0]!).id }),
                seqAgain: () => f.move({ seq: (mine[st.at % Math.max(1, mine.length)] ?? m[0]!).seq }),
                reason: () => f.move({ reason: 'steal' }),
                huge: () => f.move({ quantity: 1e15 }),
                zero: () => f.move({ quantity: 0 }),
                fraction: () => f.move({ quantity: 1.5 }),
                otherSite: () => f.move({ to: w.locations.get(other)![st.at % w.locations.get(other)!.length] }),
                future: () => f.move({ occurredAt: YEAR_2200, recordedAt: YEAR_2200 }),
                past: () => f.move({ occurredAt: 0 }),
                rentable: () => f.move({ articleId: w.rentable[st.at % w.rentable.length] }),
              }[st.forge]();
              m.splice(st.at % (m.length + 1), 0, bad);
            }
            const entry = f.entry(m);
            if (st.forge) want[st.s]!.set(entry.n, CODE[st.forge]);
            else booked.push(...m.map((x) => x.id));
            pending[st.s]!.push(entry);
            if (st.push) await flush(st.s);
          }
          await flush(0);
          await flush(1);
          for (let s = 0; s < 2; s++) {
            // Every entry handled (the queue moved on), each forged one rejected with its reason.
            const [row] = await w.register.db.all<{ last_applied: number }>('select last_applied from stations where id = $1', [stations[s]!.record.id]);
            expect(Number(row!.last_applied)).toBe(stations[s]!.n);
            expect(rejected[s]).toEqual(want[s]);
          }
          const ids = await w.register.db.all<{ id: string }>('select id from movements where station_id in ($1, $2)', [stations[0]!.record.id, stations[1]!.record.id]);
          expect(ids.map((r) => r.id).sort()).toEqual([...booked].sort());
          expect(await w.register.verifyLedger()).toMatchObject({ ok: true, differences: [] });
        } finally {
          await w.reg.stop();
        }
      }),
      { numRuns: kind === 'postgres' ? 12 : 30 },
    );
  }, 240_000);
});
