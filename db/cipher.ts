/**
 * SQLite files encrypted page by page in SQLCipher 4's format (AES-256-CBC with a fresh IV for
 * every page written; SQLite3 Multiple Ciphers through better-sqlite3-multiple-ciphers), keyed
 * with a raw 256-bit key so no key derivation slows the start. The write-ahead log is encrypted
 * the same way, and temporary tables stay in memory.
 *
 * The per-page HMAC is off: it multiplied the cost of every page read from disk by four and of
 * every page written by two (the whole-database reads, the integrity check and a new station's
 * first full copy, went from seconds to tens of seconds), while what must not be altered unseen is
 * guarded where it matters: the audit trail's hash chain, checked again by the register, and the
 * register's own copy of every movement. IT opens a copy with SQLCipher 4:
 * `PRAGMA key = "x'<hex key>'"; PRAGMA cipher_use_hmac = OFF;`.
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, fsyncSync, openSync, readSync, renameSync, rmSync, copyFileSync } from 'node:fs';
import { dirname } from 'node:path';

export type Sqlite = Database.Database;
export type SqliteOptions = Database.Options;

/** The connection options for a SQLite build other than npm's (Electron's ABI), or none. */
export const bindingOptions = (nativeBinding: string | undefined): SqliteOptions => (nativeBinding ? { nativeBinding } : {});

const PLAIN_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** What a database file holds: nothing yet, a plain SQLite database, or an encrypted one. */
export function fileState(file: string): 'none' | 'plain' | 'encrypted' {
  if (!existsSync(file)) return 'none';
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(PLAIN_HEADER.length);
    const n = readSync(fd, head, 0, head.length, 0);
    if (n === 0) return 'none';
    return n === head.length && head.equals(PLAIN_HEADER) ? 'plain' : 'encrypted';
  } finally {
    closeSync(fd);
  }
}

/** The cipher's settings, given on every connection before its key (SQLCipher keeps none in the file). */
const CIPHER_PRAGMAS = ["cipher = 'sqlcipher'", 'legacy = 4', 'hmac_use = 0'] as const;

/** What a fresh connection is told, in order, before anything reads the file: the cipher, then the key. */
export const keyPragmas = (key: Buffer, pragma: 'key' | 'rekey' = 'key'): string[] => [...CIPHER_PRAGMAS, `${pragma} = "x'${key.toString('hex')}'"`];

function useKey(db: Sqlite, key: Buffer, pragma: 'key' | 'rekey'): void {
  for (const p of keyPragmas(key, pragma)) db.pragma(p);
}

/**
 * Opens a database file (a station's or the register's): with the key when it is encrypted or
 * new, as it is when it is a plain one (a backup from before encryption, or a database about to
 * be encrypted). A wrong key fails here, not at the first query.
 */
export function openSqlite(file: string, key: Buffer, options: SqliteOptions = {}): Sqlite {
  const plain = fileState(file) === 'plain';
  const db = new Database(file, options);
  try {
    if (!plain) useKey(db, key, 'key');
    db.prepare('select count(*) from sqlite_master').get();
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

/**
 * Encrypts a plain database file: its log folded in, a copy encrypted with the key and checked,
 * then put in the file's place in one rename, so a start cut short leaves either the plain file
 * or the encrypted one, never half of each.
 */
export function encryptFile(file: string, key: Buffer, options: SqliteOptions = {}): void {
  const work = `${file}.encrypting`;
  rmSync(work, { force: true });
  const plain = new Database(file, options);
  try {
    plain.pragma('wal_checkpoint(TRUNCATE)');
    plain.pragma('journal_mode = DELETE');
  } finally {
    plain.close();
  }
  copyFileSync(file, work);
  const db = new Database(work, options);
  try {
    useKey(db, key, 'rekey');
  } finally {
    db.close();
  }
  const check = openSqlite(work, key, options);
  check.close();
  if (fileState(work) !== 'encrypted') throw new Error(`${work} was not encrypted`);
  syncFile(work);
  renameSync(work, file);
  for (const side of ['-wal', '-shm', '-journal']) rmSync(`${file}${side}`, { force: true });
  syncFile(dirname(file));
}

function syncFile(path: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    fsyncSync(fd);
  } catch {
    // Folders cannot be synced on Windows; the rename is durable there once it returns.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
