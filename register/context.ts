/**
 * What every part of the register works with: its database, its epoch and options, the station a
 * request comes from, and the error it answers a request with.
 */
import type { UserMessage } from '../vocabulary/errors';
import type { RegisterDb } from './store';

export interface RegisterOptions {
  /** A full copy carries movements from this many days back (history for the screens); stock comes as balances. */
  historyDays?: number;
  /** A station further behind than this many changes gets a full copy instead. */
  resyncBehind?: number;
  /** Rows a full copy reads at a time (smaller in tests, so a small dataset's copy comes in many batches). */
  copyPage?: number;
  /**
   * Full copies this register process reads at once; more wait their turn, holding nothing. Each
   * holds a database connection while it is sent (on PostgreSQL one of the pool's), so new stations
   * enrolled together never leave pulls and pushes waiting for one.
   */
  copiesAtOnce?: number;
  /**
   * A full copy in columns, once read and packed, is kept and given as it is to stations asking for
   * the same copy while it is at most this many changes behind the register's head (0: never kept).
   */
  madeCopyChanges?: number;
  /** …and at most this old, in milliseconds (0: never kept). */
  madeCopyMs?: number;
  now?: () => number;
  /**
   * The region's PIN pepper (`db/pepper.ts`), kept outside the database and handed to each station
   * at enrolment, so a PIN hashed anywhere checks everywhere.
   */
  pinPepper?: Buffer | null;
}

/** The register as its parts see it. */
export interface RegisterContext {
  readonly db: RegisterDb;
  /** Changes when the register's history starts over; a station with another epoch gets a full copy. */
  readonly epoch: string;
  readonly options: Required<RegisterOptions>;
}

export interface StationRecord {
  id: string;
  name: string;
  siteId: string;
  lastApplied: number;
  revokedAt: number | null;
}

export class RegisterError extends Error {
  constructor(
    readonly code: string,
    readonly userMessage: UserMessage,
    readonly status = 400,
  ) {
    super(userMessage.en);
  }
}

export const DAY = 86_400_000;
