/**
 * PIN verifiers are peppered with a key kept outside every database: a copy of a station's or the
 * register's database alone does not let anyone test PINs against them.
 */
import { scryptSync } from 'node:crypto';
import { chmodSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApi } from '../../api/dispatch';
import { hasPinPepper, keepPinPepper, PEPPER_FILE, pinPepper } from '../../db/pepper';
import { openStationDb } from '../../db/open';
import { EventHub } from '../../services/events';
import { SyncEngine } from '../../services/sync';
import { hashPin, verifyPin } from '../../db/users/pins';
import { registerPepper } from '../../register/pepper';
import { openRegisterDb } from '../../register/store';
import { enrolledStation, FAST, tinyRegister } from '../sync/harness';
import { signedIn, tempDir, tinyStore } from '../helpers';

describe('the PIN pepper', () => {
  it('a verifier checks only with the pepper, and the demo users’ PINs are peppered', () => {
    const store = tinyStore();
    const pepper = pinPepper(store, { linked: false });
    const verifier = hashPin('1234', pepper);
    expect(verifyPin('1234', verifier, pepper)).toBe(true);
    expect(verifyPin('1235', verifier, pepper)).toBe(false);
    // Someone with the database alone: the right PIN does not check without the pepper.
    expect(verifyPin('1234', verifier, Buffer.alloc(32))).toBe(false);
    const stored = (store.sqlite.prepare("select pin_hash as h from users where pin_hash <> 'none' limit 1").get() as { h: string }).h;
    expect(stored).toMatch(/^scrypt-pepper\$/);
    // Kept beside the database, owner-only and sealed with the database key: its bytes are not the pepper.
    const file = join(store.file, '..', PEPPER_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file).includes(pepper)).toBe(false);
    store.close();
  });

  it('a linked station without its pepper says so instead of making one', () => {
    const store = tinyStore();
    const other = tempDir();
    expect(() => pinPepper({ ...store, file: join(other, 'depot.sqlite') }, { linked: true })).toThrowError(expect.objectContaining({ code: 'auth.pepper_missing' }));
    store.close();
  });

  it('the register hands its pepper to a station at enrolment, and the station signs its users in with it', async () => {
    const reg = await tinyRegister('sqlite');
    const a = await enrolledStation(reg.register, reg.server.url, { start: false });
    const theirs = pinPepper(a.store, { linked: true });
    const source = tinyStore();
    expect(theirs.equals(pinPepper(source, { linked: false }))).toBe(true);
    source.close();
    await expect(signedIn(createApi(a.store), 'supervisor')).resolves.toMatchObject({ session: expect.any(String) });
    // Another pepper at the station: no PIN checks any more.
    keepPinPepper(a.store, Buffer.alloc(32, 7));
    await expect(signedIn(createApi(a.store), 'supervisor')).rejects.toThrow(/auth.wrong_pin/);
  });

  it('the register keeps its pepper in an owner-only file, made once and never replaced once PINs use it', async () => {
    const dir = tempDir();
    const db = await openRegisterDb({ dataDir: dir });
    const file = join(dir, 'register.pepper');
    const made = await registerPepper(db, file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect((await registerPepper(db, file)).equals(made)).toBe(true);
    chmodSync(file, 0o644);
    await expect(registerPepper(db, file)).rejects.toMatchObject({ code: 'register.pepper_exposed' });
    // Once a user's PIN is hashed with it, a lost file is refused rather than made again.
    await db.run("insert into entities (kind, id, data, rev, deleted) values ('user', 'u1', $1, 1, 0)", [JSON.stringify({ id: 'u1', pin_hash: hashPin('1234', made) })]);
    await expect(registerPepper(db, join(dir, 'elsewhere.pepper'))).rejects.toMatchObject({ code: 'register.pepper_missing' });
    await db.close();
  });

  it('a station enrolled before the pepper fetches it from the register, and signs in with older verifiers meanwhile', async () => {
    const reg = await tinyRegister('sqlite');
    const a = await enrolledStation(reg.register, reg.server.url, { start: false });
    await a.engine.stop();
    a.store.close();
    rmSync(join(a.dir, PEPPER_FILE));
    const store = openStationDb({ dataDir: a.dir, quickCheck: 'skip' });
    try {
      expect(hasPinPepper(store)).toBe(false);
      // A verifier from before the pepper checks without one.
      const api = createApi(store);
      const lena = store.sqlite.prepare("select id from users where name = 'Lena Nilsson'").get() as { id: string };
      store.sqlite.prepare('update users set pin_hash = ? where id = ?').run(`scrypt$${'00'.repeat(16)}$${scryptSync('1111', Buffer.alloc(16), 32).toString('hex')}`, lena.id);
      expect(await api.call({ name: 'auth.signIn', input: { userId: lena.id, pin: '1111' } })).toMatchObject({ ok: true });
      // The next sync brings the register's pepper, and peppered verifiers check again.
      const engine = new SyncEngine(store, new EventHub(), FAST);
      await engine.syncNow();
      await engine.stop();
      expect(pinPepper(store, { linked: true }).equals(reg.register.pinPepper()!)).toBe(true);
      await expect(signedIn(createApi(store), 'supervisor')).resolves.toMatchObject({ session: expect.any(String) });
    } finally {
      store.close();
    }
  });
});
