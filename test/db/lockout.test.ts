/**
 * The sign-in lockout at one station: five wrong PINs lock a user for a quarter of an hour, each
 * further lock without a right PIN between lasts twice as long (a day at most), and a lock lifts
 * by itself when its time is over. A right PIN clears the count; an unlock that came after a lock
 * began lifts it. A user who signs in by badge only is never locked by PIN attempts. The clock is
 * given to every call, so nothing here waits.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isDepotError } from '../../vocabulary/errors';
import { defaultMigrationsFolder, openStationDb, type StationDb } from '../../db/open';
import { FIRST_LOCK_MS, LONGEST_LOCK_MS, lockedUntil, lockedUsers, lockFor, MAX_FAILURES, requireUnlocked, signIn, unlockUser } from '../../db/users/users';
import { queries, tempDir, tinyStore } from '../helpers';

const MIN = 60_000;
const T0 = new Date(2026, 2, 10, 9, 0, 0).getTime();

describe('the lockout policy', () => {
  it('locks after five wrong PINs in a row, a quarter of an hour first, twice as long each lock after, a day at most', () => {
    for (let f = 0; f < MAX_FAILURES; f++) expect(lockFor(f, 0)).toBe(0);
    expect(MAX_FAILURES).toBe(5);
    expect(lockFor(5, 0)).toBe(15 * MIN);
    expect(lockFor(5, 1)).toBe(30 * MIN);
    expect(lockFor(5, 2)).toBe(60 * MIN);
    expect(lockFor(5, 6)).toBe(960 * MIN);
    expect(lockFor(5, 7)).toBe(24 * 60 * MIN);
    expect(lockFor(5, 1000)).toBe(LONGEST_LOCK_MS);
    expect(lockFor(5, Number.POSITIVE_INFINITY)).toBe(LONGEST_LOCK_MS);
    expect(lockFor(5, -3)).toBe(FIRST_LOCK_MS);
    expect(lockFor(Number.NaN, 0)).toBe(0);
    // Never shorter for more locks before it.
    for (let l = 0; l < 40; l++) expect(lockFor(5, l + 1)).toBeGreaterThanOrEqual(lockFor(5, l));
  });
});

let store: StationDb | null = null;
afterEach(() => {
  store?.close();
  store = null;
});

function station() {
  const s = tinyStore();
  store = s;
  const { one } = queries(s);
  const st = one<{ id: string; siteId: string }>('select id, site_id as siteId from station');
  const user = (name: string) => one<{ id: string; role: string; siteId: string }>('select id, role, site_id as siteId from users where name = ?', name);
  /** Tries a PIN at `at`; the refusal's record is written as the API writes it (after the call's rollback). */
  const attempt = (userId: string, pin: string, at: number): string => {
    try {
      signIn(s, st.id, userId, pin, at);
      return 'ok';
    } catch (e) {
      if (!isDepotError(e)) throw e;
      e.record?.();
      return e.code;
    }
  };
  const message = (userId: string, at: number) => {
    try {
      requireUnlocked(s, userId, at);
      return null;
    } catch (e) {
      if (!isDepotError(e)) throw e;
      return e.userMessage;
    }
  };
  return { s, st, user, attempt, message };
}

const hhmm = (ms: number) => {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
};

describe('a sign-in lock at this station', () => {
  it('an unlock dated ahead lifts only the locks begun before its time, and only once that time has come', () => {
    const { s, user, attempt } = station();
    const lena = user('Lena Nilsson');
    for (let i = 0; i < 5; i++) attempt(lena.id, '0000', T0);
    // Arrived by sync, dated ten minutes ahead (a station whose clock runs fast).
    s.sqlite.prepare('insert into sign_in_unlocks (id, user_id, site_id, at, by_user_id) values (?, ?, ?, ?, null)').run('u-ahead', lena.id, lena.siteId, T0 + 10 * MIN);
    expect(lockedUntil(s, lena.id, T0 + 5 * MIN)).toBe(T0 + 15 * MIN);
    expect(lockedUntil(s, lena.id, T0 + 10 * MIN)).toBeNull();
    // A lock begun after its time (by more than two clocks may differ) is not lifted by it.
    for (let i = 0; i < 5; i++) attempt(lena.id, '0000', T0 + 16 * MIN);
    expect(lockedUntil(s, lena.id, T0 + 17 * MIN)).not.toBeNull();
  });

  it('lifts by itself when its time is over, lasts twice as long the next time, and a right PIN clears the count', () => {
    const { s, user, attempt, message } = station();
    const lena = user('Lena Nilsson');
    const wrong = (n: number, at: number) => Array.from({ length: n }, () => attempt(lena.id, '0000', at));
    expect(wrong(4, T0)).toEqual(Array(4).fill('auth.wrong_pin'));
    expect(attempt(lena.id, '0000', T0)).toBe('auth.locked');
    expect(lockedUntil(s, lena.id, T0)).toBe(T0 + 15 * MIN);
    // The refusal says until when (local time), and that an administrator can lift it sooner.
    expect(message(lena.id, T0)).toEqual({ sv: expect.stringContaining(`till kl. ${hhmm(T0 + 15 * MIN)}`), en: expect.stringContaining(`until ${hhmm(T0 + 15 * MIN)}`) });
    expect(message(lena.id, T0)!.sv).toMatch(/administratör kan häva låset tidigare/);
    expect(message(lena.id, T0)!.en).toMatch(/administrator can lift the lock sooner/);
    // While locked not even the right PIN is tried.
    expect(attempt(lena.id, '1111', T0 + 15 * MIN - 1)).toBe('auth.locked');
    expect(lockedUsers(s, T0 + MIN)).toMatchObject([{ id: lena.id, lockedAt: T0, lockedUntil: T0 + 15 * MIN }]);

    // Over by itself: five more tries, and the next lock lasts half an hour.
    const t1 = T0 + 15 * MIN;
    expect(lockedUntil(s, lena.id, t1)).toBeNull();
    expect(lockedUsers(s, t1)).toEqual([]);
    expect(wrong(4, t1)).toEqual(Array(4).fill('auth.wrong_pin'));
    expect(attempt(lena.id, '0000', t1)).toBe('auth.locked');
    expect(lockedUntil(s, lena.id, t1)).toBe(t1 + 30 * MIN);
    const t2 = t1 + 30 * MIN;
    wrong(5, t2);
    expect(lockedUntil(s, lena.id, t2)).toBe(t2 + 60 * MIN);

    // A right PIN once the lock is over clears it all: the next lock is a quarter of an hour again.
    const t3 = t2 + 60 * MIN;
    expect(attempt(lena.id, '1111', t3)).toBe('ok');
    wrong(5, t3);
    expect(lockedUntil(s, lena.id, t3)).toBe(t3 + 15 * MIN);
    const trail = s.sqlite.prepare("select detail from audit_log where action = 'sign_in_locked' and entity_id = ? order by rowid").all(lena.id) as { detail: string }[];
    expect(trail.map((r) => (JSON.parse(r.detail) as { minutes: number }).minutes)).toEqual([15, 30, 60, 15]);
  });

  it('names the day too when the lock ends on another day, and never lasts more than a day', () => {
    const { s, user, attempt, message } = station();
    const lena = user('Lena Nilsson');
    let at = T0;
    for (let lock = 0; lock < 9; lock++) {
      for (let i = 0; i < 5; i++) attempt(lena.id, '0000', at);
      const until = lockedUntil(s, lena.id, at)!;
      expect(until - at).toBe(Math.min(15 * MIN * 2 ** lock, 24 * 60 * MIN));
      at = until;
    }
    const last = at - 24 * 60 * MIN;
    const d = new Date(at);
    const date = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    expect(message(lena.id, last)!.sv).toContain(`till ${date} kl. ${hhmm(at)}`);
  });

  it('is lifted by an unlock that came after it began, wherever the unlock was made; the wrong PINs start again, the locks in a row do not', () => {
    const { s, st, user, attempt } = station();
    const lena = user('Lena Nilsson');
    for (let i = 0; i < 5; i++) attempt(lena.id, '0000', T0);
    for (let i = 0; i < 5; i++) attempt(lena.id, '0000', T0 + 15 * MIN);
    expect(lockedUntil(s, lena.id, T0 + 16 * MIN)).toBe(T0 + 45 * MIN);
    const unlockAt = (at: number) => s.sqlite.prepare("insert into sign_in_unlocks (id, user_id, site_id, at, by_user_id) values (?, ?, ?, ?, null)").run(`u-${at}`, lena.id, st.siteId, at);
    // An unlock from before the lock began (by more than two clocks may differ) lifts nothing.
    unlockAt(T0 + 9 * MIN);
    expect(lockedUntil(s, lena.id, T0 + 16 * MIN)).toBe(T0 + 45 * MIN);
    unlockAt(T0 + 20 * MIN);
    expect(lockedUntil(s, lena.id, T0 + 21 * MIN)).toBeNull();
    // Lifted, but the locks in a row stand: lifting a lock after every fifth guess makes guessing no quicker.
    for (let i = 0; i < 5; i++) attempt(lena.id, '0000', T0 + 21 * MIN);
    expect(lockedUntil(s, lena.id, T0 + 21 * MIN)).toBe(T0 + 81 * MIN);
    // An unlock for another site lifts nothing here.
    s.sqlite.prepare("insert into sign_in_unlocks (id, user_id, site_id, at, by_user_id) values ('u-elsewhere', ?, 'another-site', ?, null)").run(lena.id, T0 + 22 * MIN);
    expect(lockedUntil(s, lena.id, T0 + 23 * MIN)).toBe(T0 + 81 * MIN);
  });

  it('never locks a user without a PIN (a prescriber signs in by badge only)', () => {
    const { s, user, attempt } = station();
    const prescriber = s.sqlite.prepare("select id from users where role = 'prescriber' limit 1").get() as { id: string };
    for (let i = 0; i < 20; i++) expect(attempt(prescriber.id, '1234', T0)).toBe('auth.wrong_pin');
    expect(lockedUntil(s, prescriber.id, T0)).toBeNull();
    expect(s.sqlite.prepare('select count(*) as n from sign_in_locks where user_id = ?').get(prescriber.id)).toEqual({ n: 0 });
    // Nor anyone without a PIN, whatever the role.
    const lena = user('Lena Nilsson');
    s.sqlite.prepare("update users set pin_hash = 'none' where id = ?").run(lena.id);
    for (let i = 0; i < 10; i++) expect(attempt(lena.id, '1111', T0)).toBe('auth.wrong_pin');
    expect(lockedUntil(s, lena.id, T0)).toBeNull();
  });

  it('is lifted here by a supervisor; an administrator lifts a site user\'s locks at every station of the site', () => {
    const { s, st, user, attempt } = station();
    const lena = user('Lena Nilsson');
    const karin = user('Karin Lundberg');
    const per = user('Per Åström');
    const erik = user('Erik Sandström');
    expect(erik.siteId).not.toBe(st.siteId);
    const as = (u: { id: string; role: string }) => ({ stationId: st.id, siteId: st.siteId, userId: u.id, role: u.role as 'admin' });
    const outbox = () => (s.sqlite.prepare("select count(*) as n from outbox where payload like '%sign_in_unlock%'").get() as { n: number }).n;
    const refused = (f: () => unknown) => {
      try {
        f();
        return null;
      } catch (e) {
        return isDepotError(e) ? e.code : 'other';
      }
    };
    // A supervisor: a lock at this station, nothing else.
    expect(refused(() => unlockUser(s, as(karin), lena.id, T0))).toBe('auth.not_locked');
    for (let i = 0; i < 5; i++) attempt(lena.id, '0000', T0);
    expect(unlockUser(s, as(karin), lena.id, T0 + MIN)).toEqual({ siteWide: false });
    expect(lockedUntil(s, lena.id, T0 + MIN)).toBeNull();
    expect(outbox()).toBe(0);
    // An administrator: the site's user, locked here or not; the unlock goes out to the register.
    expect(unlockUser(s, as(per), lena.id, T0 + 2 * MIN)).toEqual({ siteWide: true });
    expect(outbox()).toBe(1);
    expect(s.sqlite.prepare('select user_id as userId, site_id as siteId, at, by_user_id as byUserId from sign_in_unlocks').all()).toEqual([
      { userId: lena.id, siteId: st.siteId, at: T0 + 2 * MIN, byUserId: per.id },
    ]);
    // A user of another site: only a lock at this station, and nothing goes out.
    expect(refused(() => unlockUser(s, as(per), erik.id, T0))).toBe('auth.not_locked');
    for (let i = 0; i < 5; i++) attempt(erik.id, '0000', T0);
    expect(unlockUser(s, as(per), erik.id, T0 + MIN)).toEqual({ siteWide: false });
    expect(outbox()).toBe(1);
  });
});

describe('upgrading to locks that lift by themselves', () => {
  it('ends a lock from before (which had no end) a quarter of an hour after it began, and drops a prescriber\'s', () => {
    const full = defaultMigrationsFolder();
    const journal = JSON.parse(readFileSync(join(full, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
    const at = journal.entries.findIndex((e) => e.tag.startsWith('0024_'));
    const old = tempDir();
    mkdirSync(join(old, 'meta'));
    const before = journal.entries.slice(0, at);
    for (const e of before) cpSync(join(full, `${e.tag}.sql`), join(old, `${e.tag}.sql`));
    writeFileSync(join(old, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: before }));
    const dir = tempDir();
    const v = openStationDb({ dataDir: dir, migrationsFolder: old, quickCheck: 'skip' });
    v.sqlite.exec(`
      insert into users (id, name, role, pin_hash, active) values ('w', 'W', 'warehouse_worker', 'scrypt$00$00', 1), ('p', 'P', 'prescriber', 'none', 1), ('c', 'C', 'depot_staff', 'scrypt$00$00', 1);
      insert into sign_in_locks (user_id, failures, locked_at) values ('w', 5, ${T0}), ('p', 5, ${T0}), ('c', 2, null);`);
    v.close();
    const s = openStationDb({ dataDir: dir, quickCheck: 'skip' });
    store = s;
    expect(s.sqlite.prepare('select user_id as u, failures, locks, locked_at as lockedAt, locked_until as lockedUntil from sign_in_locks order by user_id').all()).toEqual([
      { u: 'c', failures: 2, locks: 0, lockedAt: null, lockedUntil: null },
      { u: 'w', failures: 0, locks: 1, lockedAt: T0, lockedUntil: T0 + 15 * MIN },
    ]);
    expect(lockedUntil(s, 'w', T0 + 15 * MIN)).toBeNull();
  });
});
