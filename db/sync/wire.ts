/**
 * The sync protocol's wire format, shared by stations and the register. Compact: a movement is
 * a fixed-order array rather than an object with named fields, and every body travels gzipped
 * (`Content-Encoding: gzip`); the repeated UUIDs of one batch compress well.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import type { UserMessage } from '../../vocabulary/errors';

/** [id, stationId, seq, userId, occurredAt, recordedAt, articleId, individualId, lot, from, to, quantity, reason, orderRef, reverses] */
export type MovementTuple = [
  string,
  string,
  number,
  string,
  number,
  number,
  string,
  string | null,
  string | null,
  string | null,
  string | null,
  number,
  string,
  string | null,
  /** For a correction: the movement it reverses. */
  string | null,
];

/** An individual a pushed movement refers to, so the register knows it even when it is new: [id, number, articleId, serial, udi]. */
export type IndividualTuple = [string, string, string, string | null, string | null];

/** One outbox entry: one posting made on the station, numbered 1, 2, 3… per station. */
export interface PushEntry {
  n: number;
  m: MovementTuple[];
  i: IndividualTuple[];
  /** Master data changed at the station (a pallet, a reorder setting…), in the order it changed. */
  e?: EntityChange[];
}

export interface PushRequest {
  entries: PushEntry[];
}

export interface Rejection {
  n: number;
  code: string;
  message: UserMessage;
}

export interface PushResponse {
  /** The station's last entry the register has applied (or rejected). */
  lastApplied: number;
  /** Entries in this request that can never apply; they count as handled. */
  rejected: Rejection[];
  /** Set when the request skipped a number: send again from `lastApplied + 1`. */
  gap?: boolean;
}

/** [kind, id, fields or null when deleted] */
export type EntityChange = [string, string, Record<string, unknown> | null];

export interface PullPage {
  epoch: string;
  /** Pull again from here. */
  cursor: number;
  /** The register's latest change when this page was read. */
  head: number;
  more: boolean;
  e: EntityChange[];
  m: MovementTuple[];
}

/** The register's answer when a station must start over from a full copy. */
export interface ResyncNeeded {
  resync: true;
  reason: 'epoch' | 'cursor' | 'behind';
}

/**
 * The first line of a full copy; after it come `["e",kind,id,data]`, `["m",…tuple]` and
 * `["b",article,location,lot,qty]` lines. A full copy travels as a series of frames, each
 * `[u32 byte length][u32 line count][gzip of lines joined by \n]`, so a station can store it as
 * it arrives (without unpacking it) and unpack it one frame at a time.
 */
export interface SnapshotHeader {
  epoch: string;
  cursor: number;
  counts: { entities: number; movements: number; balances: number };
}

export interface EnrolResponse {
  stationId: string;
  token: string;
  name: string;
  siteId: string;
  numbers: { individual: { next: number; last: number }; sscc: { next: number; last: number } };
  /** The region's PIN pepper (hex), kept in the station's key store beside its database. */
  pepper?: string;
}

const id = z.string().min(1).max(64);
const opt = z.string().max(200).nullable();
const ms = z.number().int().nonnegative();
/**
 * A number JSON carries exactly. Whether a movement's number, dates and quantity make sense is
 * the register's own check: a movement that fails it is rejected (and shown to the station's
 * supervisor) while the rest of the push goes on; only garbage refuses the whole request.
 */
const exact = z.number().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
export const movementTuple = z.tuple([id, id, exact, id, exact, exact, id, id.nullable(), opt, id.nullable(), id.nullable(), exact, z.string().max(40), opt, id.nullable()]);
export const pushRequest = z.object({
  entries: z
    .array(
      z.object({
        n: z.number().int().positive(),
        m: z.array(movementTuple).max(100_000),
        i: z.array(z.tuple([id, z.string().min(1).max(64), id, opt, opt])),
        e: z.array(z.tuple([z.string().min(1).max(40), z.string().min(1).max(200), z.record(z.string(), z.unknown()).nullable()])).max(10_000).optional(),
      }),
    )
    .max(100_000),
});

/** One audit entry as the station wrote it, numbered by its place in the station's trail: [seq, id, at, stationId, userId, action, entity, entityId, detail, hash]. */
export type AuditTuple = [number, string, number, string, string | null, string, string, string | null, string | null, string | null];

export interface AuditPushResponse {
  /** The station's last audit entry the register holds; send again from the next. */
  last: number;
  /**
   * Entries of this request that did not follow from the entry before them (altered at the
   * station), or the station's head when the register holds another entry at its number or more
   * entries than the station has (the station's trail was rewritten or shortened).
   */
  broken: number[];
  /** The last entry the register holds, with its hash: the head the station's trail must keep holding. */
  head: { seq: number; hash: string | null } | null;
}

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const auditPush = z.object({
  entries: z
    .array(
      z.tuple([
        z.number().int().positive(),
        id,
        ms,
        id,
        z.string().max(64).nullable(),
        z.string().max(200),
        z.string().max(200),
        z.string().max(1000).nullable(),
        z.string().max(1_000_000).nullable(),
        z.string().max(200).nullable(),
      ]),
    )
    .max(5000),
  /** The station's chain key, so the register can check each link (kept from the first push on; older stations send none). */
  key: hex64.optional(),
  /** The station's trail's head as it stands now: its last number and hash. */
  head: z.object({ seq: z.number().int().nonnegative(), hash: hex64.nullable() }).nullable().optional(),
});

export const SNAPSHOT_CONTENT_TYPE = 'application/vnd.depot.snapshot';

export function frame(lines: readonly string[]): Buffer {
  const body = gzipSync(lines.join('\n'), { level: 3 });
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.writeUInt32BE(lines.length, 4);
  return Buffer.concat([head, body]);
}

/** The lines of one frame's body. */
export const unframe = (body: Uint8Array): string[] => gunzipSync(body).toString('utf8').split('\n');

export const pack = (value: unknown): Buffer => gzipSync(JSON.stringify(value), { level: 6 });
export const unpack = <T>(body: Uint8Array): T => JSON.parse(gunzipSync(body).toString('utf8')) as T;
