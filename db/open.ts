import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bindingOptions, encryptFile, fileState, openSqlite, type Sqlite, type SqliteOptions } from './cipher';
import { DepotError } from '../vocabulary/errors';
import { checkIntegrityInBackground, copyInBackground, integrityFindings } from './background';
import { KEYED_SCHEMA, keyTheChain } from './audit';
import { chainKeyFrom } from './audit-chain';
import { KEY_FILE, SEALED_KEY_FILE, stationKey, type KeySeal } from './key';
import { PEPPER_FILE } from './pepper';
import * as schema from './schema';
import { swedishSortKey } from '../vocabulary/language';
import { auditKindOf } from '../vocabulary/audit-kind';

export type Db = BetterSQLite3Database<typeof schema>;

/** The station's one writer connection, with drizzle on top of it. */
export interface StationDb {
  readonly file: string;
  readonly sqlite: Sqlite;
  readonly db: Db;
  /** The audit chain's key, derived from the database key (`audit-chain.ts`). */
  readonly auditKey: Buffer;
  /** Copies the database, encrypted with its key, into `target` on a reader in a worker thread. */
  copyTo(target: string): Promise<void>;
  /** A copy of the database key, for files beside the database that must stay as unreadable as it is. */
  databaseKey(): Buffer;
  /** The integrity check's findings: [] when the database is sound. */
  readonly integrity: Promise<string[]>;
  /** Checkpoints the WAL into the main file and closes the connection. Safe to call twice. */
  close(): void;
}

export interface OpenOptions {
  /** Folder holding `depot.sqlite`; created when missing. */
  dataDir: string;
  /** drizzle-kit's output folder; defaults to `db/migrations` beside this file. */
  migrationsFolder?: string;
  /** A better-sqlite3 binary built for another runtime (Electron's ABI). */
  nativeBinding?: string | undefined;
  /** The operating system's key store for the database key (the desktop app's safeStorage). */
  keySeal?: KeySeal | undefined;
  /** Told before a plain database is encrypted (once; about 20 s for 2 GB). */
  onEncrypting?: ((dataDir: string) => void) | undefined;
  /**
   * `PRAGMA quick_check`: 'blocking' before anything else runs; 'background' on a read-only
   * connection in a worker thread, its verdict in `StationDb.integrity` (the default); or 'skip'.
   */
  quickCheck?: 'blocking' | 'background' | 'skip';
}

export const DB_FILE_NAME = 'depot.sqlite';
/** The folder beside the database that holds its nightly copies. */
export const BACKUP_DIR_NAME = 'backups';
export const defaultMigrationsFolder = (): string => fileURLToPath(new URL('./migrations', import.meta.url));

/** SQLite's `quick_check` of a connection: what it found wrong, or [] when the file is sound. */
export function quickCheck(sqlite: Sqlite): string[] {
  return integrityFindings((sqlite.pragma('quick_check', { simple: false }) as { quick_check: string }[]).map((r) => r.quick_check));
}

/** Applies the connection settings every station connection must have. */
export function applyPragmas(sqlite: Sqlite): void {
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('journal_mode = WAL');
  // better-sqlite3 leaves WAL at NORMAL, which can lose a committed movement on power loss.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('temp_store = MEMORY');
  // Lists for people are in Swedish alphabetical order (Å, Ä, Ö after Z): `order by sv_order(name)`.
  sqlite.function('sv_order', { deterministic: true }, (text: unknown) => swedishSortKey(text === null || text === undefined ? null : String(text)));
  // The audit trail is filtered by the kind of entry a supervisor looks for: `audit_kind(action) = 'counts'`.
  sqlite.function('audit_kind', { deterministic: true }, (action: unknown) => (typeof action === 'string' ? auditKindOf(action) : null));
}

/**
 * Opens (or creates) the station database: pragmas, an integrity check, a refusal of a database
 * written by a newer app, then the committed migrations. Nothing else may touch the file first.
 */
export function openStationDb(options: OpenOptions): StationDb {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const file = join(options.dataDir, DB_FILE_NAME);
  const migrationsFolder = options.migrationsFolder ?? defaultMigrationsFolder();
  const binding = bindingOptions(options.nativeBinding);
  const state = fileState(file);
  const key = stationKey(options.dataDir, { seal: options.keySeal, mayCreate: state !== 'encrypted' });
  let sqlite: Sqlite;
  try {
    // A database from before encryption is encrypted on its first start, its backups with it.
    if (state === 'plain') {
      options.onEncrypting?.(options.dataDir);
      encryptPlainStation(options.dataDir, key, binding);
    }
    sqlite = openSqlite(file, key, binding);
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_NOTADB')
      throw new DepotError('db.key_wrong', {
        sv: `Databasen i ${options.dataDir} går inte att låsa upp med stationens nyckel: nyckeln hör till en annan databas, eller filen är skadad. Återställ rätt nyckel eller en säkerhetskopia med IT, eller anslut stationen på nytt så hämtar den allt från registret.`,
        en: `The database in ${options.dataDir} cannot be unlocked with the station's key: the key belongs to another database, or the file is damaged. Restore the right key or a backup with IT, or enrol the station again and it fetches everything from the register.`,
      });
    throw new DepotError('db.open_failed', {
      sv: `Databasen i ${options.dataDir} gick inte att öppna (${(e as Error).message}). Kontrollera att mappen finns och är skrivbar.`,
      en: `The database in ${options.dataDir} could not be opened (${(e as Error).message}). Check that the folder exists and is writable.`,
    });
  }
  try {
    applyPragmas(sqlite);
    const mode = options.quickCheck ?? 'background';
    if (mode === 'blocking') {
      const findings = quickCheck(sqlite);
      if (findings.length > 0) throw corrupt(file, findings);
    }
    const known = readMigrationFiles({ migrationsFolder });
    refuseNewer(sqlite, known.length, known.at(-1)?.folderMillis ?? 0, file);
    const db = drizzle(sqlite, { schema });
    // Migrations that rebuild a table need foreign keys off (SQLite's documented procedure); the
    // whole database is checked for broken references before they go back on.
    const version = sqlite.pragma('user_version', { simple: true }) as number;
    const pending = version < known.length;
    if (pending) {
      sqlite.pragma('foreign_keys = OFF');
      migrate(db, { migrationsFolder });
      // A full check reads the whole database, so it runs only when a migration did.
      const broken = sqlite.pragma('foreign_key_check') as unknown[];
      if (broken.length > 0) throw new Error(`migration left ${broken.length} broken references`);
      sqlite.pragma('foreign_keys = ON');
    }
    sqlite.pragma(`user_version = ${known.length}`);
    let closed = false;
    const reader = { file, key, nativeBinding: options.nativeBinding };
    const integrity = mode === 'background' ? checkIntegrityInBackground(reader) : Promise.resolve<string[]>([]);
    const store: StationDb = {
      file,
      sqlite,
      db,
      auditKey: chainKeyFrom(key),
      integrity,
      copyTo: (target) => copyInBackground(reader, target),
      databaseKey: () => Buffer.from(key),
      close() {
        if (closed) return;
        closed = true;
        try {
          sqlite.pragma('wal_checkpoint(TRUNCATE)');
        } finally {
          sqlite.close();
        }
      },
    };
    // Once, on the start that brings an older database to keyed links.
    if (version < KEYED_SCHEMA && known.length >= KEYED_SCHEMA) keyTheChain(store);
    return store;
  } catch (e) {
    sqlite.close();
    throw e;
  }
}

/** The error for a database whose integrity check found damage. */
export function corrupt(file: string, findings: string[]): DepotError {
  const what = findings.slice(0, 3).join('; ');
  return new DepotError('db.corrupt', {
    sv: `Databasen ${file} är skadad (${what}). Stationen tar inte emot fler registreringar. Kontakta IT och återställ från säkerhetskopia.`,
    en: `The database ${file} is damaged (${what}). The station accepts no more registrations. Call IT and restore from a backup.`,
  });
}

function refuseNewer(sqlite: Sqlite, knownCount: number, knownLastMillis: number, file: string): void {
  const version = sqlite.pragma('user_version', { simple: true }) as number;
  const hasTable = sqlite
    .prepare("select 1 from sqlite_master where type = 'table' and name = '__drizzle_migrations'")
    .get();
  const lastApplied = hasTable
    ? ((sqlite.prepare('select max(created_at) as m from __drizzle_migrations').get() as { m: number | null }).m ?? 0)
    : 0;
  if (version > knownCount || Number(lastApplied) > knownLastMillis) {
    throw new DepotError('db.newer_than_app', {
      sv: `Databasen ${file} har skrivits av en nyare version av Depot Station (schema ${version}, den här versionen känner till ${knownCount}). Uppdatera programmet; databasen har inte ändrats.`,
      en: `The database ${file} was written by a newer version of Depot Station (schema ${version}, this version knows ${knownCount}). Update the app; the database has not been changed.`,
    });
  }
}

/** Encrypts a plain station database and every plain copy of it kept beside it. */
function encryptPlainStation(dataDir: string, key: Buffer, binding: SqliteOptions): void {
  const backups = join(dataDir, BACKUP_DIR_NAME);
  const copies = [
    ...readdirSync(dataDir).filter((f) => f.startsWith(`${DB_FILE_NAME}.before-restore-`)).map((f) => join(dataDir, f)),
    ...(existsSync(backups) ? readdirSync(backups).filter((f) => f.endsWith('.sqlite')).map((f) => join(backups, f)) : []),
  ];
  for (const f of copies) if (fileState(f) === 'plain') encryptFile(f, key, binding);
  encryptFile(join(dataDir, DB_FILE_NAME), key, binding);
}

/** Copies a closed station's database and its key to another folder (tests, benchmarks, moving a station). */
export function copyStation(fromDir: string, toDir: string): void {
  for (const f of [DB_FILE_NAME, KEY_FILE, SEALED_KEY_FILE, PEPPER_FILE]) if (existsSync(join(fromDir, f))) copyFileSync(join(fromDir, f), join(toDir, f));
}
