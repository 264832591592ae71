/**
 * The console's sign-ins, kept in the register's database (any register node answers them): a session
 * is a random token in an HttpOnly, SameSite=Strict cookie, known here only by its hash, that ends
 * after a while unused or at the latest after a working day. Wrong PINs are counted per user as at
 * a station (`lockFor`): five in a row lock the user out of the console for a quarter of an hour,
 * longer after each further lock.
 */
import { createHash, randomBytes } from 'node:crypto';
import { lockFor } from '../../db/users/users';
import type { RegisterDb } from '../store';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_LONGEST_MS = 12 * 60 * 60_000;

/** A sign-in under way: whose, since when, last used when. */
export interface Session {
  userId: string;
  startedAt: number;
  usedAt: number;
}

/**
 * Sessions and lock-outs live in the register's database, so that behind a load balancer any
 * register node answers a browser signed in at another, a sign-out or deactivation ends the
 * sessions every node sees, and wrong PINs count the same whichever node they reach.
 */
export class ConsoleSessions {
  constructor(private readonly db: RegisterDb) {}

  async start(userId: string, now: number): Promise<string> {
    await this.db.run('delete from console_sessions where used_at < $1 or started_at < $2', [now - SESSION_IDLE_MS, now - SESSION_LONGEST_MS]);
    const token = randomBytes(32).toString('base64url');
    await this.db.run('insert into console_sessions (token_hash, user_id, started_at, used_at) values ($1, $2, $3, $3)', [sha256(token), userId, now]);
    return token;
  }

  /** The session a token names, still going (it counts as used now), or null. */
  async find(token: string | undefined, now: number): Promise<Session | null> {
    if (!token || token.length > 128) return null;
    const key = sha256(token);
    const [s] = await this.db.all<{ user_id: string; started_at: number; used_at: number }>('select user_id, started_at, used_at from console_sessions where token_hash = $1', [key]);
    if (!s) return null;
    const startedAt = Number(s.started_at);
    if (now - Number(s.used_at) > SESSION_IDLE_MS || now - startedAt > SESSION_LONGEST_MS) {
      await this.db.run('delete from console_sessions where token_hash = $1', [key]);
      return null;
    }
    await this.db.run('update console_sessions set used_at = $1 where token_hash = $2 and used_at < $1', [now, key]);
    return { userId: s.user_id, startedAt, usedAt: now };
  }

  async end(token: string | undefined): Promise<void> {
    if (token) await this.db.run('delete from console_sessions where token_hash = $1', [sha256(token)]);
  }

  /** Ends every session of a user (deactivated, or no longer in a console role). */
  async endFor(userId: string): Promise<void> {
    await this.db.run('delete from console_sessions where user_id = $1', [userId]);
  }

  /** Until when the user is locked out, or null. */
  async lockedUntil(userId: string, now: number): Promise<number | null> {
    const [l] = await this.db.all<{ locked_until: number | null }>('select locked_until from console_locks where user_id = $1', [userId]);
    const until = l?.locked_until === null || l === undefined ? null : Number(l.locked_until);
    return until !== null && until > now ? until : null;
  }

  /** Counts a wrong PIN; returns until when the user is now locked, or null. One count at a time per user, across nodes. */
  async failed(userId: string, now: number): Promise<number | null> {
    return this.db.tx(async (q) => {
      await q.run('insert into console_locks (user_id, failures, locks, locked_until) values ($1, 0, 0, null) on conflict (user_id) do nothing', [userId]);
      const [l] = await q.all<{ failures: number; locks: number }>(
        `select failures, locks from console_locks where user_id = $1${this.db.dialect === 'postgres' ? ' for update' : ''}`,
        [userId],
      );
      const failures = Number(l!.failures) + 1;
      const locks = Number(l!.locks);
      const ms = lockFor(failures, locks);
      if (ms > 0) await q.run('update console_locks set failures = 0, locks = $1, locked_until = $2 where user_id = $3', [locks + 1, now + ms, userId]);
      else await q.run('update console_locks set failures = $1 where user_id = $2', [failures, userId]);
      return ms > 0 ? now + ms : null;
    });
  }

  async succeeded(userId: string): Promise<void> {
    await this.db.run('delete from console_locks where user_id = $1', [userId]);
  }
}
