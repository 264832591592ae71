import Database from 'better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DB_FILE_NAME, defaultMigrationsFolder, openStore } from '../../db/open';
import { resolveDataDir } from '../../db/paths';
import { tempDir } from '../helpers';

const known = readMigrationFiles({ migrationsFolder: defaultMigrationsFolder() }).length;

describe('database start-up', () => {
  it('migrates an empty folder to the current schema with the station pragmas', () => {
    const dir = tempDir();
    const store = openStore({ dataDir: dir });
    const s = store.sqlite;
    const tables = (s.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map((r) => r.name);
    for (const t of ['sites', 'locations', 'articles', 'article_gtins', 'individuals', 'users', 'movements', 'balances', 'audit_log', 'outbox', 'station', 'iso_codes'])
      expect(tables).toContain(t);
    const triggers = (s.prepare("select name from sqlite_master where type = 'trigger'").all() as { name: string }[]).map((r) => r.name);
    expect(triggers).toEqual(expect.arrayContaining(['movements_balance_from', 'movements_balance_to', 'movements_append_only_update', 'audit_log_append_only_delete']));
    expect(s.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(s.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(s.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(s.pragma('user_version', { simple: true })).toBe(known);
    store.close();
    // Opening again applies nothing twice.
    const again = openStore({ dataDir: dir });
    expect((again.sqlite.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number }).n).toBe(known);
    again.close();
  });

  it('refuses a database written by a newer app and leaves it untouched', () => {
    const dir = tempDir();
    openStore({ dataDir: dir }).close();
    const raw = new Database(join(dir, DB_FILE_NAME));
    raw.pragma(`user_version = ${known + 1}`);
    raw.close();
    expect(() => openStore({ dataDir: dir })).toThrowError(
      expect.objectContaining({ code: 'db.newer_than_app', userMessage: expect.objectContaining({ sv: expect.stringContaining('nyare version') }) }),
    );
    const after = new Database(join(dir, DB_FILE_NAME), { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(known + 1);
    after.close();
  });

  it('refuses a database that has a migration this app does not know', () => {
    const dir = tempDir();
    openStore({ dataDir: dir }).close();
    const raw = new Database(join(dir, DB_FILE_NAME));
    raw.prepare('insert into __drizzle_migrations (hash, created_at) values (?, ?)').run('future', Date.now() + 10 * 365 * 86_400_000);
    raw.close();
    expect(() => openStore({ dataDir: dir })).toThrowError(expect.objectContaining({ code: 'db.newer_than_app' }));
  });

  it('checkpoints the write-ahead log into the database file on close', () => {
    const dir = tempDir();
    const store = openStore({ dataDir: dir });
    store.sqlite.prepare("insert into iso_codes (code, edition, title) values ('122203', 'x', 'y')").run();
    store.close();
    const raw = new Database(join(dir, DB_FILE_NAME), { readonly: true });
    expect(raw.prepare("select title from iso_codes where code = '122203'").get()).toEqual({ title: 'y' });
    raw.close();
  });

  it('takes the data dir from --data-dir, then DEPOT_DATA_DIR, then the platform default', () => {
    expect(resolveDataDir(['--data-dir', '/a'], { DEPOT_DATA_DIR: '/b' })).toBe('/a');
    expect(resolveDataDir(['--data-dir=/c'], {})).toBe('/c');
    expect(resolveDataDir([], { DEPOT_DATA_DIR: '/b' })).toBe('/b');
    if (process.platform === 'linux') {
      expect(resolveDataDir([], { XDG_CONFIG_HOME: '/x' })).toBe('/x/Depot Station');
      // An empty variable counts as unset: never a folder relative to wherever the app was started.
      expect(resolveDataDir([], { XDG_CONFIG_HOME: '', DEPOT_DATA_DIR: '' })).toBe(join(homedir(), '.config', 'Depot Station'));
    }
  });
});
