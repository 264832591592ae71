/**
 * The station database's key: 32 random bytes, made on the first start. The desktop app keeps it
 * sealed by the operating system's key store (Electron's safeStorage: DPAPI, the Keychain, the
 * Secret Service); browser mode, and a desktop without a key store, keep it in a file only the
 * owner may read, the way ssh keeps a private key: a key file others can read is refused.
 * The register keeps its database key in such a file too (`ownerOnlyKey`).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DepotError } from '../vocabulary/errors';

export const KEY_FILE = 'depot.key';
export const SEALED_KEY_FILE = 'depot.key.sealed';
const KEY_BYTES = 32;

/** Seals and unseals with the operating system's key store (in the desktop app, safeStorage). */
export interface KeySeal {
  seal(plain: string): Buffer;
  unseal(sealed: Buffer): string;
}

export interface KeyOptions {
  /** The operating system's key store, when there is one. */
  seal?: KeySeal | undefined;
  /** False when an encrypted database already exists: a new key could never open it. */
  mayCreate: boolean;
}

const HEX = /^[0-9a-f]{64}$/;

/** What a key file's owner is told when its key cannot be had; each gets the file's path. */
export interface KeyRefusals {
  /** The database is encrypted and its key file is gone. */
  missing(file: string): DepotError;
  /** The key file holds no key. */
  damaged(file: string): DepotError;
  /** Others than the owner can read or change the file (or its folder). */
  exposed(path: string): DepotError;
}

const stationDamaged = (where: string): DepotError =>
  new DepotError('db.key_damaged', {
    sv: `Databasnyckeln i ${where} är skadad. Återställ nyckelfilen från IT:s kopia, eller anslut stationen på nytt så hämtar den allt från registret.`,
    en: `The database key in ${where} is damaged. Restore the key file from IT's copy, or enrol the station again and it fetches everything from the register.`,
  });

const stationExposed = (file: string): DepotError =>
  new DepotError('db.key_exposed', {
    sv: `Nyckelfilen ${file} kan läsas av andra än stationens användare. Be IT göra den läsbar bara för ägaren (chmod 600) och starta igen.`,
    en: `The key file ${file} can be read by others than the station's user. Ask IT to make it readable by its owner only (chmod 600) and start again.`,
  });

function parse(text: string, where: string, damaged: (file: string) => DepotError = stationDamaged): Buffer {
  const hex = text.trim().toLowerCase();
  if (!HEX.test(hex)) throw damaged(where);
  return Buffer.from(hex, 'hex');
}

/** Writes a new file that only its owner may read, all at once, to disk before returning. */
export function writeOwnerOnly(file: string, content: string | Buffer): void {
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(fd, typeof content === 'string' ? Buffer.from(content) : content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Refuses a file or folder that anyone but its owner, this user, can read or change: one with
 * any group or other permission bit, or owned by another user.
 */
export function checkOwnerOnly(path: string, exposed: (path: string) => DepotError = stationExposed): void {
  if (!isOwnerOnly(path)) throw exposed(path);
}

/** Whether only its owner, this user, can read or change a file or folder (`checkOwnerOnly` without the refusal). */
export function isOwnerOnly(path: string): boolean {
  if (process.platform === 'win32') return true; // NTFS permissions follow the profile folder
  const s = statSync(path);
  const uid = process.getuid?.();
  return (s.mode & 0o077) === 0 && (uid === undefined || s.uid === uid);
}

/**
 * A key kept in a file of its own that only its owner may read: read when the file is there,
 * made when it is not and `mayCreate` (its folder too, owner-only), refused otherwise. A file
 * another process made at the same moment is used rather than overwritten.
 */
export function ownerOnlyKey(file: string, options: { mayCreate: boolean; refusals: KeyRefusals }): Buffer {
  const { refusals } = options;
  if (existsSync(file)) {
    checkOwnerOnly(file, refusals.exposed);
    return parse(readFileSync(file, 'utf8'), file, refusals.damaged);
  }
  if (!options.mayCreate) throw refusals.missing(file);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(KEY_BYTES);
  try {
    writeOwnerOnly(file, `${key.toString('hex')}\n`);
  } catch (e) {
    // Another process made it first: use theirs.
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return parse(readFileSync(file, 'utf8'), file, refusals.damaged);
    throw e;
  }
  return key;
}

function missing(dataDir: string): DepotError {
  return new DepotError('db.key_missing', {
    sv: `Databasen i ${dataDir} är krypterad men nyckeln saknas. Återställ nyckelfilen (${KEY_FILE}) från IT:s kopia, eller anslut stationen på nytt så hämtar den allt från registret.`,
    en: `The database in ${dataDir} is encrypted but its key is missing. Restore the key file (${KEY_FILE}) from IT's copy, or enrol the station again and it fetches everything from the register.`,
  });
}

function unseal(seal: KeySeal, file: string): Buffer {
  let text: string;
  try {
    text = seal.unseal(readFileSync(file));
  } catch (e) {
    throw new DepotError('db.key_unsealable', {
      sv: `Operativsystemets nyckelring kunde inte låsa upp databasnyckeln (${(e as Error).message}). Logga in i Windows/datorn som stationens användare och starta igen.`,
      en: `The operating system's key store could not unlock the database key (${(e as Error).message}). Sign in to the computer as the station's user and start again.`,
    });
  }
  return parse(text, file);
}

/**
 * The station's key, made when there is none and the database is new. With a seal, a key file
 * left by browser mode is sealed and the file removed; without one, a sealed key cannot be read.
 */
export function stationKey(dataDir: string, options: KeyOptions): Buffer {
  const plainFile = join(dataDir, KEY_FILE);
  const sealedFile = join(dataDir, SEALED_KEY_FILE);
  const { seal } = options;
  if (seal) {
    if (existsSync(sealedFile)) return unseal(seal, sealedFile);
    let key: Buffer;
    if (existsSync(plainFile)) {
      checkOwnerOnly(plainFile);
      key = parse(readFileSync(plainFile, 'utf8'), plainFile);
    } else {
      if (!options.mayCreate) throw missing(dataDir);
      key = randomBytes(KEY_BYTES);
    }
    rmSync(`${sealedFile}.new`, { force: true }); // left by a start cut short
    writeOwnerOnly(`${sealedFile}.new`, seal.seal(key.toString('hex')));
    // Only a sealed key that unseals to the same bytes replaces the file.
    if (!unseal(seal, `${sealedFile}.new`).equals(key)) throw new Error('the key store returned a different key');
    renameSync(`${sealedFile}.new`, sealedFile);
    rmSync(plainFile, { force: true });
    return key;
  }
  if (!existsSync(plainFile) && existsSync(sealedFile))
    throw new DepotError('db.key_sealed', {
      sv: 'Databasnyckeln är låst i skrivbordsappens nyckelring. Starta Depot Station som skrivbordsapp på den här datorn.',
      en: "The database key is locked in the desktop app's key store. Start Depot Station as the desktop app on this computer.",
    });
  return ownerOnlyKey(plainFile, { mayCreate: options.mayCreate, refusals: { missing: () => missing(dataDir), damaged: stationDamaged, exposed: stationExposed } });
}
