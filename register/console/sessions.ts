/**
 * The console's sign-ins, kept in the register's memory (a restart signs everyone out): a session
 * is a random token in an HttpOnly, SameSite=Strict cookie, known here only by its hash, that ends
 * after a while unused or at the latest after a working day. Wrong PINs are counted per user as at
 * a station (`lockFor`): five in a row lock the user out of the console for a quarter of an hour,
 * longer after each further lock.
 */
import { createHash, randomBytes } from 'node:crypto';
import { lockFor } from '../../db/users/users';
import type { ConsoleUser } from './store';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_LONGEST_MS = 12 * 60 * 60_000;

interface Session {
  user: ConsoleUser;
  startedAt: number;
  usedAt: number;
}

interface Lock {
  failures: number;
  locks: number;
  lockedUntil: number | null;
}

export class ConsoleSessions {
  private readonly sessions = new Map<string, Session>();
  private readonly locks = new Map<string, Lock>();

  start(user: ConsoleUser, now: number): string {
    this.sweep(now);
    const token = randomBytes(32).toString('base64url');
    this.sessions.set(sha256(token), { user, startedAt: now, usedAt: now });
    return token;
  }

  /** The session a token names, still going (it counts as used now), or null. */
  find(token: string | undefined, now: number): Session | null {
    if (!token || token.length > 128) return null;
    const key = sha256(token);
    const s = this.sessions.get(key);
    if (!s) return null;
    if (now - s.usedAt > SESSION_IDLE_MS || now - s.startedAt > SESSION_LONGEST_MS) {
      this.sessions.delete(key);
      return null;
    }
    s.usedAt = now;
    return s;
  }

  end(token: string | undefined): void {
    if (token) this.sessions.delete(sha256(token));
  }

  /** Ends every session of a user (deactivated, or no longer in a console role). */
  endFor(userId: string): void {
    for (const [k, s] of this.sessions) if (s.user.id === userId) this.sessions.delete(k);
  }

  /** Until when the user is locked out, or null. */
  lockedUntil(userId: string, now: number): number | null {
    const l = this.locks.get(userId);
    return l !== undefined && l.lockedUntil !== null && l.lockedUntil > now ? l.lockedUntil : null;
  }

  /** Counts a wrong PIN; returns until when the user is now locked, or null. */
  failed(userId: string, now: number): number | null {
    const l = this.locks.get(userId) ?? { failures: 0, locks: 0, lockedUntil: null };
    const failures = l.failures + 1;
    const ms = lockFor(failures, l.locks);
    const next: Lock = ms > 0 ? { failures: 0, locks: l.locks + 1, lockedUntil: now + ms } : { ...l, failures };
    this.locks.set(userId, next);
    if (this.locks.size > 10_000) for (const [k, v] of this.locks) if (v.lockedUntil === null || v.lockedUntil < now) this.locks.delete(k);
    return ms > 0 ? next.lockedUntil : null;
  }

  succeeded(userId: string): void {
    this.locks.delete(userId);
  }

  private sweep(now: number): void {
    if (this.sessions.size < 1000) return;
    for (const [k, s] of this.sessions) if (now - s.usedAt > SESSION_IDLE_MS || now - s.startedAt > SESSION_LONGEST_MS) this.sessions.delete(k);
  }
}
