/**
 * PIN verifiers: scrypt with a salt of their own, over the PIN mixed with the region's pepper
 * (`../pepper.ts`), which is kept outside every database: a copy of a database alone gives up no
 * PIN, however quickly someone could try all of them. Verifiers from before the pepper
 * (`scrypt$…`) still check until the PIN is next set.
 */
import { createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

const KEY_LENGTH = 32;
/** The scheme of a peppered verifier, the first part of `scrypt-pepper$<salt>$<hash>`. */
export const PEPPERED = 'scrypt-pepper';

const peppered = (pin: string, pepper: Buffer) => createHmac('sha256', pepper).update(pin, 'utf8').digest();

/** `scrypt-pepper$<salt>$<hash>`: a PIN is never stored as it is, nor in a form a database copy alone can test. */
export function hashPin(pin: string, pepper: Buffer): string {
  const salt = randomBytes(16);
  return `${PEPPERED}$${salt.toString('hex')}$${scryptSync(peppered(pin, pepper), salt, KEY_LENGTH).toString('hex')}`;
}

/** Checks a PIN; the pepper is asked for only when the verifier was made with one. */
export function verifyPin(pin: string, stored: string, pepper: Buffer | (() => Buffer)): boolean {
  const [scheme, saltHex, hashHex] = stored.split('$');
  if ((scheme !== PEPPERED && scheme !== 'scrypt') || !saltHex || !hashHex) return false;
  const expected = Buffer.from(hashHex, 'hex');
  if (expected.length !== KEY_LENGTH) return false;
  const input = scheme === PEPPERED ? peppered(pin, typeof pepper === 'function' ? pepper() : pepper) : pin;
  const actual = scryptSync(input, Buffer.from(saltHex, 'hex'), expected.length);
  return timingSafeEqual(expected, actual);
}
