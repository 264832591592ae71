/**
 * The sync protocol's wire format, shared by stations and the register. Compact: a movement is
 * a fixed-order array rather than an object with named fields, and every body travels gzipped
 * (`Content-Encoding: gzip`); the repeated UUIDs of one batch compress well. The order is written
 * once, in `MOVEMENT_FIELDS` (and `INDIVIDUAL_FIELDS`); the rest of the code reads and writes
 * those arrays only through `encodeMovement` and `decodeMovement` (and the individual's pair).
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import type { UserMessage } from '../../vocabulary/errors';

const id = z.string().min(1).max(64);
const opt = z.string().max(200).nullable();
const ms = z.number().int().nonnegative();
/**
 * A number JSON carries exactly. Whether a movement's number, dates and quantity make sense is
 * the register's own check: a movement that fails it is rejected (and shown to the station's
 * supervisor) while the rest of the push goes on; only garbage refuses the whole request.
 */
const exact = z.number().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);

/**
 * A record that travels as a fixed-order array: its field names in that order, and each field's
 * check. The tuple's type, its schema, its columns and its encoding all follow from the two.
 */
type Checks<F extends readonly string[]> = { readonly [K in F[number]]: z.ZodType };
/** The record with named fields. */
type Named<F extends readonly string[], C extends Checks<F>> = { [K in F[number]]: z.output<C[K]> };
/** The same record as the array that travels. */
type Tuple<F extends readonly string[], C extends Checks<F>> = { -readonly [I in keyof F]: Named<F, C>[F[I] & F[number]] };

/** `stationId` → `station_id`: the database column of a field, at the station and at the register. */
const column = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function tupleCodec<const F extends readonly [string, ...string[]], C extends Checks<F>>(fields: F, checks: C) {
  const check = (f: string): z.ZodType => checks[f as F[number]];
  // A field the databases hand back as text (PostgreSQL's bigint) is read as a number.
  const numeric = fields.map((f) => check(f) === exact);
  return {
    fields,
    columns: fields.map(column) as { readonly [I in keyof F]: string },
    schema: z.tuple(fields.map(check) as [z.ZodType, ...z.ZodType[]]) as unknown as z.ZodType<Tuple<F, C>>,
    /** The array that travels, from a record with named fields (absent ones travel as null). */
    encode(record: Readonly<Record<F[number], unknown>>): Tuple<F, C> {
      const out = new Array<unknown>(fields.length);
      for (let i = 0; i < fields.length; i++) {
        const v = record[fields[i] as F[number]] ?? null;
        out[i] = numeric[i] && v !== null ? Number(v) : v;
      }
      return out as Tuple<F, C>;
    },
    /** The record with named fields, from the array that travels (a field an older peer leaves off is null). */
    decode(tuple: Tuple<F, C>): Named<F, C> {
      const values = tuple as readonly unknown[];
      const out: Record<string, unknown> = {};
      for (let i = 0; i < fields.length; i++) out[fields[i]!] = values[i] ?? null;
      return out as Named<F, C>;
    },
    /** The array's values in column order, for an insert (a field an older peer leaves off is null). */
    values(tuple: Tuple<F, C>): unknown[] {
      const values = tuple as readonly unknown[];
      return fields.map((_, i) => values[i] ?? null);
    },
  };
}

/** A movement's fields, in the order its array carries them. */
export const MOVEMENT_FIELDS = [
  'id',
  'stationId',
  'seq',
  'userId',
  'occurredAt',
  'recordedAt',
  'articleId',
  'individualId',
  'lot',
  'fromLocationId',
  'toLocationId',
  'quantity',
  'reason',
  'orderRef',
  /** For a correction: the movement it reverses. */
  'reverses',
] as const;

const movement = tupleCodec(MOVEMENT_FIELDS, {
  id,
  stationId: id,
  seq: exact,
  userId: id,
  occurredAt: exact,
  recordedAt: exact,
  articleId: id,
  individualId: id.nullable(),
  lot: opt,
  fromLocationId: id.nullable(),
  toLocationId: id.nullable(),
  quantity: exact,
  reason: z.string().max(40),
  orderRef: opt,
  reverses: id.nullable(),
});

export type MovementField = (typeof MOVEMENT_FIELDS)[number];
/** A movement with named fields. */
export type Movement = ReturnType<typeof movement.decode>;
/** A movement as it travels: its fields' values in the order of `MOVEMENT_FIELDS`. */
export type MovementTuple = ReturnType<typeof movement.encode>;
export const movementTuple = movement.schema;
/** The movements table's columns (the same at the station and at the register), in the order of `MOVEMENT_FIELDS`. */
export const MOVEMENT_COLUMNS: readonly string[] = movement.columns;
/**
 * The movement columns for a select, each named as its field (`station_id as "stationId"`), so
 * a row read with them goes to `encodeMovement` as it is; `table` prefixes each column.
 */
export const selectMovement = (table = ''): string => MOVEMENT_FIELDS.map((f, i) => `${table ? `${table}.` : ''}${movement.columns[i]} as "${f}"`).join(', ');
/** The insert of one movement, its values bound by field name (`@stationId`…) from a `Movement`. */
export const INSERT_MOVEMENT = `insert into movements (${MOVEMENT_COLUMNS.join(', ')}) values (${MOVEMENT_FIELDS.map((f) => `@${f}`).join(', ')})`;
/** A movement as it travels, from its named fields (a database row read with `selectMovement`, or a record). */
export const encodeMovement: (row: Readonly<Record<MovementField, unknown>>) => MovementTuple = movement.encode;
/** A movement with named fields, from the array that travelled. */
export const decodeMovement: (tuple: MovementTuple) => Movement = movement.decode;
/** A movement's values in the order of `MOVEMENT_COLUMNS`, for an insert. */
export const movementValues: (tuple: MovementTuple) => unknown[] = movement.values;

/** An individual's fields, in the order its array carries them. */
export const INDIVIDUAL_FIELDS = ['id', 'individualNumber', 'articleId', 'serialNumber', 'udi'] as const;

const individual = tupleCodec(INDIVIDUAL_FIELDS, {
  id,
  individualNumber: z.string().min(1).max(64),
  articleId: id,
  serialNumber: opt,
  udi: opt,
});

export type IndividualField = (typeof INDIVIDUAL_FIELDS)[number];
/** An individual a pushed movement refers to, so the register knows it even when it is new. */
export type Individual = ReturnType<typeof individual.decode>;
/** An individual as it travels: its fields' values in the order of `INDIVIDUAL_FIELDS`. */
export type IndividualTuple = ReturnType<typeof individual.encode>;
export const individualTuple = individual.schema;
export const encodeIndividual: (record: Readonly<Record<IndividualField, unknown>>) => IndividualTuple = individual.encode;
export const decodeIndividual: (tuple: IndividualTuple) => Individual = individual.decode;

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

/**
 * The field a station holds one place, article or site by: no two of its rows share it. A withdrawn
 * row whose code was given on holds it told apart by its id (`code~id`), at the register's copy and
 * at a station taking the change alike.
 */
export const CODE_OF: Readonly<Record<string, string>> = { location: 'code', article: 'article_number', site: 'code' };

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
  /**
   * The site whose own stock, devices, queue and history the copy holds, when the station asked for
   * its site's copy and is a depot's; absent for the whole region's copy.
   */
  scope?: string | null;
  /** The time the copy's movements begin at (its days of history): it carries every one the register holds from then. */
  since?: number | null;
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

export const pushRequest = z.object({
  entries: z
    .array(
      z.object({
        n: z.number().int().positive(),
        m: z.array(movementTuple).max(100_000),
        i: z.array(individualTuple),
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
