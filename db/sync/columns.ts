/**
 * A full copy's second shape on the wire: columnar frames. Each frame holds many rows of one kind
 * (master data of one kind with one set of fields, movements, or balances) as one array per
 * column, brotli-compressed. A column whose values repeat (a station, a user, an article, a
 * location) travels as its distinct values and an index per row; a column of whole numbers (times,
 * numbers in sequence, quantities) travels as the difference from the row before. Both shrink the
 * text and what the station parses, and brotli's long window finds what still repeats (a device's
 * id in its own field).
 *
 * The outer framing is the first shape's (`[u32 body length][u32 row count][body]`), so a copy is
 * stored and counted as it arrives the same way. A station asks for this shape by naming its
 * content type in `Accept`; a register that does not know it answers with the first shape (still
 * read), and a station that does not ask gets the first shape.
 *
 * What arrives is checked before anything is written: a frame that unpacks to more than
 * `MAX_FRAME_BYTES`, is not the shape described here, has columns of another length than the rows
 * it says it holds, an index outside its dictionary, a number that is not exact, or a movement's
 * field that fails its check is refused with `CopyRefused`, and the copy is applied in one
 * transaction, so nothing changes.
 */
import { brotliCompress, brotliDecompressSync, constants } from 'node:zlib';
import { promisify } from 'node:util';
import { z } from 'zod';
import { MOVEMENT_FIELDS, type MovementTuple, type SnapshotHeader } from './wire';

export const SNAPSHOT_COLUMNS_CONTENT_TYPE = 'application/vnd.depot.snapshot+columns';

/** The most one frame may unpack to; the register's frames are about 1 MiB of rows before packing. */
export const MAX_FRAME_BYTES = 64 << 20;
/** The most rows one frame may say it holds. */
export const MAX_FRAME_ROWS = 200_000;

/** The brotli quality the register packs with: close to gzip's speed, far smaller. */
const QUALITY = 4;

/** A full copy the station cannot use: the register sent something it does not read, or something damaged. */
export class CopyRefused extends Error {
  /** `update`: the register sends what only a newer station reads. */
  constructor(
    reason: string,
    readonly update = false,
  ) {
    super(`the register's full copy was refused: ${reason}`);
  }
}

/** What the register reads for a full copy, a batch at a time. */
export type SnapshotBatch =
  | { k: 'e'; kind: string; ids: string[]; data: string[] }
  | { k: 'm'; rows: readonly MovementTuple[] }
  | { k: 'b'; rows: readonly [string, string, string, number][] };

/** A frame as it is applied at the station: every column expanded, one array per column. */
export type ColumnFrame =
  | { k: 'e'; kind: string; ids: string[]; fields: string[]; columns: unknown[][] }
  | { k: 'm'; columns: unknown[][] }
  | { k: 'b'; columns: [string[], string[], string[], number[]] };

/**
 * A column as it travels:
 * - `[…]` the values as they are;
 * - `{z}` whole numbers as the difference from the row before;
 * - `{o, v}` whole numbers as the difference from column `o` of the same row (an earlier one);
 * - `{d, i}` an index per row into the copy's dictionary, `d` the values it adds (appended in order);
 * - `{p, s, k?}` texts sharing a start with the row before: its length `p` and the rest `s`; with
 *   `k` the values are added to the copy's dictionary too (ids that later rows refer to).
 */
type Column = unknown[] | { z: number[] } | { o: number; v: number[] } | { d: unknown[]; i: number[] } | { p: number[]; s: string[]; k?: 1 };

/** Master data other rows name by id (a movement its article, locations and device; a device its site…). */
const REFERRED = new Set(['site', 'delivery_point', 'location', 'article', 'user', 'individual', 'purchase_order', 'customer_order', 'pallet']);

/** The most values a copy's dictionary may hold. */
const MAX_DICTIONARY = 20_000_000;
/** The longest text a front-coded column may make. */
const MAX_TEXT = 100_000;

const isWhole = (values: readonly unknown[]) => values.every((v) => Number.isSafeInteger(v));

function differences(values: readonly number[], from: (r: number) => number): number[] | null {
  const out = new Array<number>(values.length);
  for (let r = 0; r < values.length; r++) {
    const d = values[r]! - from(r);
    if (!Number.isSafeInteger(d)) return null;
    out[r] = d;
  }
  return out;
}

function frontCoded(values: readonly string[]): { p: number[]; s: string[] } {
  const p = new Array<number>(values.length);
  const s = new Array<string>(values.length);
  let before = '';
  for (let r = 0; r < values.length; r++) {
    const v = values[r]!;
    const max = Math.min(v.length, before.length);
    let k = 0;
    while (k < max && v.charCodeAt(k) === before.charCodeAt(k)) k++;
    p[r] = k;
    s[r] = v.slice(k);
    before = v;
  }
  return { p, s };
}

/**
 * Writes one copy's frames (the register's side). It keeps the copy's dictionary: the values of
 * columns that repeat (stations, users, articles, locations…) and the ids of master data, each
 * given a number once, so a later row names one by its number.
 */
export class CopyEncoder {
  private readonly dictionary = new Map<unknown, number>();
  /** The number the next value added gets (the station numbers them the same way, in order). */
  private next = 0;

  /**
   * A column's shape: `ids` adds its values to the dictionary (ids later rows refer to), `unique`
   * says its values never repeat, `offsetFrom` is a column of the same rows its whole numbers are
   * told as differences from.
   */
  private column(values: readonly unknown[], options: { ids?: boolean; unique?: boolean; offsetFrom?: readonly unknown[] } = {}): Column {
    const n = values.length;
    if (n === 0) return [];
    if (isWhole(values)) {
      const nums = values as number[];
      if (options.offsetFrom && isWhole(options.offsetFrom)) {
        const base = options.offsetFrom as number[];
        const v = differences(nums, (r) => base[r]!);
        if (v) return { o: -1, v };
      }
      const z = differences(nums, (r) => (r === 0 ? 0 : nums[r - 1]!));
      if (z) return { z };
      return values as unknown[];
    }
    if (values.some((v) => v !== null && typeof v === 'object')) return values as unknown[];
    const allText = values.every((v) => typeof v === 'string');
    if (options.ids && allText) {
      for (const v of values) this.dictionary.set(v, this.next++);
      return { ...frontCoded(values as string[]), k: 1 };
    }
    if (options.unique && allText) return frontCoded(values as string[]);
    // Texts (or none) that mostly repeat, here or earlier in the copy, are named by number; the
    // attempt stops as soon as too many are new (the dictionary only takes what repeats).
    if (values.every((v) => v === null || typeof v === 'string')) {
      const fresh = new Map<unknown, number>();
      const added: unknown[] = [];
      const i = new Array<number>(n);
      let dictionary = true;
      for (let r = 0; r < n && dictionary; r++) {
        const v = values[r];
        const k = this.dictionary.get(v);
        if (k !== undefined) i[r] = k;
        else {
          let l = fresh.get(v);
          if (l === undefined) {
            l = added.length;
            fresh.set(v, l);
            added.push(v);
            if (added.length * 4 > n) dictionary = false;
          }
          i[r] = -1 - l;
        }
      }
      if (dictionary) {
        const base = this.next;
        for (const v of added) this.dictionary.set(v, this.next++);
        for (let r = 0; r < n; r++) if (i[r]! < 0) i[r] = base - 1 - i[r]!;
        return { d: added, i };
      }
    }
    if (allText) return frontCoded(values as string[]);
    return values as unknown[];
  }

  /**
   * The frames of one batch the register read: master data grouped by the fields each row has (in
   * their order), each group one frame. Called in the order the frames are sent (the dictionary
   * grows as they go).
   */
  frames(batch: SnapshotBatch): Promise<Buffer>[] {
    if (batch.k === 'm') {
      const n = batch.rows.length;
      const cols = MOVEMENT_FIELDS.map((_, c) => {
        const col = new Array<unknown>(n);
        for (let r = 0; r < n; r++) col[r] = (batch.rows[r] as readonly unknown[])[c];
        return col;
      });
      const occurred = MOVEMENT_FIELDS.indexOf('occurredAt');
      const columns = MOVEMENT_FIELDS.map((f, c) => {
        // When a movement was recorded is told from when it happened.
        if (f === 'recordedAt') {
          const col = this.column(cols[c]!, { offsetFrom: cols[occurred] });
          return 'o' in col ? { ...col, o: occurred } : col;
        }
        // A movement's own id is never named again in a copy (a correction's `reverses` is rare).
        return this.column(cols[c]!, { unique: f === 'id' });
      });
      return [packFrame({ k: 'm', f: MOVEMENT_FIELDS, c: columns }, n)];
    }
    if (batch.k === 'b') {
      const n = batch.rows.length;
      const columns = [0, 1, 2, 3].map((c) => this.column(batch.rows.map((r) => r[c])));
      return [packFrame({ k: 'b', c: columns }, n)];
    }
    // Rows with the same fields in the same order go in one frame.
    const groups = new Map<string, { fields: string[]; ids: string[]; rows: Record<string, unknown>[] }>();
    for (let r = 0; r < batch.ids.length; r++) {
      const data = JSON.parse(batch.data[r]!) as Record<string, unknown>;
      const fields = Object.keys(data);
      const key = fields.join('\u0000');
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { fields, ids: [], rows: [] }));
      g.ids.push(batch.ids[r]!);
      g.rows.push(data);
    }
    return [...groups.values()].map((g) =>
      packFrame(
        {
          k: 'e',
          t: batch.kind,
          f: g.fields,
          // The ids of what other rows name go in the dictionary; the `id` field repeats the row's id.
          c: [this.column(g.ids, { ids: REFERRED.has(batch.kind), unique: true }), ...g.fields.map((f) => this.column(g.rows.map((row) => row[f]), { unique: f === 'id' }))],
        },
        g.ids.length,
      ),
    );
  }
}

/** Reads one copy's frames (the station's side), in the order they came, with the copy's dictionary. */
export class CopyDecoder {
  private readonly dictionary: unknown[] = [];

  private column(column: unknown, n: number, earlier: readonly unknown[][]): unknown[] {
    if (Array.isArray(column)) {
      if (column.length !== n) throw new CopyRefused('a column of another length than its frame');
      return column;
    }
    if (column === null || typeof column !== 'object') throw new CopyRefused('a column that is not a list');
    const c = column as Record<string, unknown>;
    const keys = Object.keys(c).sort().join(',');
    const list = (v: unknown): unknown[] => {
      if (!Array.isArray(v) || v.length !== n) throw new CopyRefused('a column of another length than its frame');
      return v;
    };
    const whole = (v: unknown) => {
      if (!Number.isSafeInteger(v)) throw new CopyRefused('a number that is not whole or too large to hold exactly');
      return v as number;
    };
    if (keys === 'z') {
      const z = list(c.z);
      const out = new Array<number>(n);
      let v = 0;
      for (let r = 0; r < n; r++) out[r] = v = whole(v + whole(z[r]));
      return out;
    }
    if (keys === 'o,v') {
      const v = list(c.v);
      const base = Number.isInteger(c.o) ? earlier[c.o as number] : undefined;
      if (!base) throw new CopyRefused('a column told from one that is not before it');
      const out = new Array<number>(n);
      for (let r = 0; r < n; r++) out[r] = whole(whole(base[r]) + whole(v[r]));
      return out;
    }
    if (keys === 'd,i') {
      if (!Array.isArray(c.d)) throw new CopyRefused('a column of an unknown shape');
      for (const v of c.d) if (v !== null && typeof v === 'object') throw new CopyRefused('a column of an unknown shape');
      this.add(c.d);
      const i = list(c.i);
      const d = this.dictionary;
      const out = new Array<unknown>(n);
      for (let r = 0; r < n; r++) {
        const k = i[r];
        if (!Number.isInteger(k) || (k as number) < 0 || (k as number) >= d.length) throw new CopyRefused('a number outside the copy\'s dictionary');
        out[r] = d[k as number];
      }
      return out;
    }
    if (keys === 'p,s' || (keys === 'k,p,s' && c.k === 1)) {
      const p = list(c.p);
      const s = list(c.s);
      const out = new Array<string>(n);
      let before = '';
      for (let r = 0; r < n; r++) {
        const k = p[r];
        const rest = s[r];
        if (!Number.isInteger(k) || (k as number) < 0 || (k as number) > before.length || typeof rest !== 'string' || (k as number) + rest.length > MAX_TEXT)
          throw new CopyRefused('a text column that does not add up');
        out[r] = before = (k === 0 ? '' : before.slice(0, k as number)) + rest;
      }
      if (c.k === 1) this.add(out);
      return out;
    }
    throw new CopyRefused('a column of an unknown shape');
  }

  private add(values: readonly unknown[]): void {
    if (this.dictionary.length + values.length > MAX_DICTIONARY) throw new CopyRefused('a dictionary larger than a copy holds');
    for (const v of values) this.dictionary.push(v);
  }

  private columns(cs: readonly unknown[], n: number): unknown[][] {
    const out: unknown[][] = [];
    for (const c of cs) out.push(this.column(c, n, out));
    return out;
  }

  /**
   * One frame's rows, checked: `rows` is the count its frame head gives. A movement frame must carry
   * only fields this station knows (a field it does not know means the register is newer: the
   * station must be updated); each movement field passes the same check as one pushed or pulled.
   */
  read(body: Uint8Array, rows: number): ColumnFrame {
    if (rows > MAX_FRAME_ROWS) throw new CopyRefused(`a frame of more than ${MAX_FRAME_ROWS} rows`);
    const parsed = frameShape.safeParse(unpackBody(body));
    if (!parsed.success || 'h' in parsed.data) throw new CopyRefused('a frame of an unknown shape');
    const f = parsed.data;
    if (f.k === 'b') {
      const columns = this.columns(f.c, rows) as [string[], string[], string[], number[]];
      const checks = [isId, isId, isText(200), isExact];
      columns.forEach((column, c) => {
        for (const v of column as unknown[]) if (!checks[c]!(v)) throw new CopyRefused('a balance that fails its check');
      });
      return { k: 'b', columns };
    }
    if (f.k === 'm') {
      if (f.f.length !== f.c.length) throw new CopyRefused('a frame whose columns are not named');
      const unknown = f.f.filter((name) => !(MOVEMENT_FIELDS as readonly string[]).includes(name));
      if (unknown.length > 0) throw new CopyRefused(`movements with fields this station does not know (${unknown.join(', ')})`, true);
      const decoded = this.columns(f.c, rows);
      const byName = new Map(f.f.map((name, i) => [name, decoded[i]!]));
      const columns = MOVEMENT_FIELDS.map((name) => byName.get(name) ?? new Array<unknown>(rows).fill(null));
      MOVEMENT_FIELDS.forEach((name, c) => {
        const check = MOVEMENT_CHECKS[name];
        for (const v of columns[c]!) if (!check(v)) throw new CopyRefused(`a movement whose ${name} fails its check`);
      });
      return { k: 'm', columns };
    }
    if (f.c.length !== f.f.length + 1) throw new CopyRefused('a frame whose columns are not named');
    const columns = this.columns(f.c, rows);
    const ids = columns[0]!;
    for (const id of ids) if (typeof id !== 'string' || id.length === 0 || id.length > 200) throw new CopyRefused('master data without an id');
    return { k: 'e', kind: f.t, ids: ids as string[], fields: f.f, columns: columns.slice(1) };
  }
}

const pack = promisify(brotliCompress);

/** One frame: `[u32 body length][u32 row count][brotli of the frame's JSON]`. Packed off the main thread. */
async function packFrame(value: unknown, rows: number): Promise<Buffer> {
  const text = Buffer.from(JSON.stringify(value), 'utf8');
  const body = await pack(text, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: QUALITY,
      [constants.BROTLI_PARAM_LGWIN]: 22,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: text.length,
    },
  });
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.writeUInt32BE(rows, 4);
  return Buffer.concat([head, body]);
}

/** The header's frame, first of a copy (it holds no rows). */
export const headerFrame = (header: SnapshotHeader): Promise<Buffer> => packFrame({ h: header }, 0);

const text = (max: number) => z.string().max(max);
const frameShape = z.union([
  z.object({ h: z.object({ epoch: text(200), cursor: z.number().int().nonnegative(), counts: z.object({ entities: z.number().int().nonnegative(), movements: z.number().int().nonnegative(), balances: z.number().int().nonnegative() }) }) }).strict(),
  z.object({ k: z.literal('e'), t: text(40).min(1), f: z.array(text(64).min(1).refine((f) => f !== '__proto__')).max(200), c: z.array(z.unknown()) }).strict(),
  z.object({ k: z.literal('m'), f: z.array(text(64)).max(100), c: z.array(z.unknown()) }).strict(),
  z.object({ k: z.literal('b'), c: z.array(z.unknown()).length(4) }).strict(),
]);

const isId = (v: unknown) => typeof v === 'string' && v.length >= 1 && v.length <= 64;
const isExact = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER;
const orNull = (check: (v: unknown) => boolean) => (v: unknown) => v === null || check(v);
const isText = (max: number) => (v: unknown) => typeof v === 'string' && v.length <= max;
/** Each movement field's check, the same as `movementTuple`'s (db/sync/wire.ts), one column at a time. */
const MOVEMENT_CHECKS: Record<(typeof MOVEMENT_FIELDS)[number], (v: unknown) => boolean> = {
  id: isId,
  stationId: isId,
  seq: isExact,
  userId: isId,
  occurredAt: isExact,
  recordedAt: isExact,
  articleId: isId,
  individualId: orNull(isId),
  lot: orNull(isText(200)),
  fromLocationId: orNull(isId),
  toLocationId: orNull(isId),
  quantity: isExact,
  reason: isText(40),
  orderRef: orNull(isText(200)),
  reverses: orNull(isId),
};

/** Unpacks one frame's body, refusing what is too large once unpacked. */
function unpackBody(body: Uint8Array): unknown {
  let plain: Buffer;
  try {
    plain = brotliDecompressSync(body, { maxOutputLength: MAX_FRAME_BYTES });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new CopyRefused(`a frame larger than ${MAX_FRAME_BYTES} bytes unpacked`);
    throw new CopyRefused('a frame that does not unpack');
  }
  try {
    return JSON.parse(plain.toString('utf8'));
  } catch {
    throw new CopyRefused('a frame that is not JSON');
  }
}

/** The header, from the first frame's body. */
export function readHeaderFrame(body: Uint8Array): SnapshotHeader {
  const f = frameShape.safeParse(unpackBody(body));
  if (!f.success || !('h' in f.data)) throw new CopyRefused('a copy that does not start with its totals');
  return f.data.h;
}
