/**
 * What the sign-in screen is told about the lock: a wrong PIN says how many tries are left before
 * the lock, and the list of users marks a locked user with until when.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isDepotError } from '../../vocabulary/errors';
import type { StationDb } from '../../db/open';
import { listActiveUsers, signIn, unlockUser } from '../../db/users/users';
import { queries, tinyStore } from '../helpers';

const MIN = 60_000;
const T0 = new Date(2026, 2, 10, 9, 0, 0).getTime();

let store: StationDb | null = null;
afterEach(() => {
  store?.close();
  store = null;
});

describe('a lock the screen can show', () => {
  it('counts down the tries left after each wrong PIN, then marks the user locked in the list until the lock ends', () => {
    const s = tinyStore();
    store = s;
    const { one } = queries(s);
    const st = one<{ id: string; siteId: string }>('select id, site_id as siteId from station');
    const lena = one<{ id: string }>("select id from users where name = 'Lena Nilsson'");
    const admin = one<{ id: string }>("select id from users where role = 'admin' limit 1");
    const attempt = (pin: string) => {
      try {
        signIn(s, st.id, lena.id, pin, T0);
        return null;
      } catch (e) {
        if (!isDepotError(e)) throw e;
        e.record?.();
        return { code: e.code, message: e.userMessage };
      }
    };
    const listed = () => listActiveUsers(s, T0 + MIN).find((u) => u.id === lena.id)!;

    expect(listed()).toMatchObject({ lockedUntil: null, lockedText: null });
    expect(attempt('0000')).toEqual({ code: 'auth.wrong_pin', message: { sv: 'Fel PIN-kod. 4 försök kvar innan inloggningen låses på den här stationen.', en: 'Wrong PIN. 4 tries left before sign-in is locked at this station.' } });
    attempt('0000');
    attempt('0000');
    expect(attempt('0000')?.message.en).toBe('Wrong PIN. 1 try left before sign-in is locked at this station.');
    expect(attempt('0000')?.code).toBe('auth.locked');

    const until = new Date(T0 + 15 * MIN);
    const hhmm = `${String(until.getHours()).padStart(2, '0')}:${String(until.getMinutes()).padStart(2, '0')}`;
    expect(listed()).toMatchObject({ lockedUntil: T0 + 15 * MIN, lockedText: { sv: `Låst till kl. ${hhmm}`, en: `Locked until ${hhmm}` } });
    // Over by itself, or lifted: no longer marked.
    expect(listActiveUsers(s, T0 + 16 * MIN).find((u) => u.id === lena.id)).toMatchObject({ lockedUntil: null });
    unlockUser(s, { stationId: st.id, siteId: st.siteId, userId: admin.id, role: 'admin' }, lena.id, T0 + 2 * MIN);
    expect(listActiveUsers(s, T0 + 3 * MIN).find((u) => u.id === lena.id)).toMatchObject({ lockedUntil: null });
  });
});
