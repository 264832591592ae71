/**
 * The station database's key: 32 random bytes, made on the first start. The desktop app keeps it
 * sealed by the operating system's key store (Electron's safeStorage: DPAPI, the Keychain, the
 * Secret Service); browser mode, and a desktop without a key store, keep it in a file only the
 * owner may read, the way ssh keeps a private key: a key file others can read is refused.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DepotError } from './errors';

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

function parse(text: string, where: string): Buffer {
  const hex = text.trim().toLowerCase();
  if (!HEX.test(hex))
    throw new DepotError('db.key_damaged', {
      sv: `Databasnyckeln i ${where} är skadad. Återställ nyckelfilen från IT:s kopia, eller anslut stationen på nytt så hämtar den allt från registret.`,
      en: `The database key in ${where} is damaged. Restore the key file from IT's copy, or enrol the station again and it fetches everything from the register.`,
    });
  return Buffer.from(hex, 'hex');
}

/** Writes a new file that only its owner may read, all at once, to disk before returning. */
function writeOwnerOnly(file: string, content: string | Buffer): void {
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(fd, typeof content === 'string' ? Buffer.from(content) : content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Refuses a key file that anyone but its owner, this user, can read or change. */
function checkOwnerOnly(file: string): void {
  if (process.platform === 'win32') return; // NTFS permissions follow the profile folder
  const s = statSync(file);
  const uid = process.getuid?.();
  if ((s.mode & 0o077) !== 0 || (uid !== undefined && s.uid !== uid))
    throw new DepotError('db.key_exposed', {
      sv: `Nyckelfilen ${file} kan läsas av andra än stationens användare. Be IT göra den läsbar bara för ägaren (chmod 600) och starta igen.`,
      en: `The key file ${file} can be read by others than the station's user. Ask IT to make it readable by its owner only (chmod 600) and start again.`,
    });
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
  if (existsSync(plainFile)) {
    checkOwnerOnly(plainFile);
    return parse(readFileSync(plainFile, 'utf8'), plainFile);
  }
  if (existsSync(sealedFile))
    throw new DepotError('db.key_sealed', {
      sv: 'Databasnyckeln är låst i skrivbordsappens nyckelring. Starta Depot Station som skrivbordsapp på den här datorn.',
      en: "The database key is locked in the desktop app's key store. Start Depot Station as the desktop app on this computer.",
    });
  if (!options.mayCreate) throw missing(dataDir);
  const key = randomBytes(KEY_BYTES);
  try {
    writeOwnerOnly(plainFile, `${key.toString('hex')}\n`);
  } catch (e) {
    // Another process made it first: use theirs.
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return parse(readFileSync(plainFile, 'utf8'), plainFile);
    throw e;
  }
  return key;
}
