/**
 * A full copy's second shape on the wire: columnar frames. Each frame holds many rows of one kind
 * (master data of one kind with one set of fields, movements, or balances) as one array per
 * column, brotli-compressed. A column whose values repeat (a station, a user, an article, a
 * location) travels as its distinct values and an index per row; a column of whole numbers (times,
 * numbers in sequence, quantities) travels as the difference from the row before. Both shrink the
 * text and what the station parses, and brotli's long window finds what still repeats (a device's
 * id in its own field).
 *
 * The second edition of the columns (its own content type) adds shapes that take less: a column
 * the same as an earlier one (a row's `id` field), whole numbers with some missing and told from
 * whichever earlier column of the row is closest (when a job was done from when it was started),
 * UUIDs split into their time, told from the row before, and their random part as bytes, and texts
 * ending with an earlier column's value (a UDI with its serial number); it gathers the register's
 * batches into frames of up to 50,000 rows and packs them a little harder. Together a third less
 * than the first edition on the wire.
 *
 * The outer framing is the first shape's (`[u32 body length][u32 row count][body]`), so a copy is
 * stored and counted as it arrives the same way. A station asks for columns by naming their
 * content types in `Accept`, the second edition first; a register answers with the newest it knows
 * that the station named, a register that knows neither with the first shape (still read), and a
 * station that does not ask gets the first shape. A station of the first edition is never sent
 * the second's shapes.
 *
 * What arrives is checked before anything is written: a frame that unpacks to more than
 * `MAX_FRAME_BYTES`, is not the shape described here, has columns of another length than the rows
 * it says it holds, an index outside its dictionary, a number that is not exact, or a movement's
 * field that fails its check is refused with `CopyRefused`, and the copy is applied in one
 * transaction, so nothing changes.
 */
import { brotliCompress, brotliDecompress, brotliDecompressSync, constants } from 'node:zlib';
import { promisify } from 'node:util';
import { z } from 'zod';
import { MOVEMENT_FIELDS, type MovementTuple, type SnapshotHeader } from './wire';

export const SNAPSHOT_COLUMNS_CONTENT_TYPE = 'application/vnd.depot.snapshot+columns';
/** The columns' second edition (shapes a station of the first edition does not read, see `column2`). */
export const SNAPSHOT_COLUMNS_2_CONTENT_TYPE = 'application/vnd.depot.snapshot.2+columns';

/** Which shapes of columns a station reads: the first edition's, or the second's as well. */
export type ColumnsEdition = 1 | 2;
const EDITIONS: Record<ColumnsEdition, string> = { 1: SNAPSHOT_COLUMNS_CONTENT_TYPE, 2: SNAPSHOT_COLUMNS_2_CONTENT_TYPE };
/** The content type of a copy in columns of `edition`. */
export const columnsContentType = (edition: ColumnsEdition): string => EDITIONS[edition];
const mediaTypes = (header: string | null | undefined) => (header ?? '').split(',').map((t) => t.split(';')[0]!.trim().toLowerCase());
/** The newest edition of columns a station names in its `Accept`, or null (it reads JSON lines only). */
export function columnsAccepted(accept: string | null | undefined): ColumnsEdition | null {
  const types = mediaTypes(accept);
  return types.includes(SNAPSHOT_COLUMNS_2_CONTENT_TYPE) ? 2 : types.includes(SNAPSHOT_COLUMNS_CONTENT_TYPE) ? 1 : null;
}
/** The edition of columns a register's answer holds by its content type, or null (JSON lines). */
export function columnsSent(contentType: string | null | undefined): ColumnsEdition | null {
  const [type] = mediaTypes(contentType);
  return type === SNAPSHOT_COLUMNS_2_CONTENT_TYPE ? 2 : type === SNAPSHOT_COLUMNS_CONTENT_TYPE ? 1 : null;
}

/** The most one frame may unpack to; the register's frames are about 1 MiB of rows before packing. */
export const MAX_FRAME_BYTES = 64 << 20;
/** The most rows one frame may say it holds. */
export const MAX_FRAME_ROWS = 200_000;

/** The brotli quality the register packs with: close to gzip's speed, far smaller. */
const QUALITY: Record<ColumnsEdition, number> = { 1: 4, 2: 5 };

/**
 * Rows one frame of the second edition gathers from the batches the register reads (a frame packs
 * better the more it holds), and the most text it gathers (the stored JSON of master data; about a
 * hundred and fifty bytes a movement): far below what a frame may unpack to.
 */
const ROWS_PER_FRAME = 50_000;
const TEXT_PER_FRAME = 8 << 20;

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
 * Of the second edition only (and `{z}`, `{o, v}` with missing numbers, null, kept as they are):
 * - `{s}` the same values as column `s` (an earlier one);
 * - `{u, m, b, k?}` UUIDs: their first twelve hex digits as a number told from the row before, the
 *   next four as a number (told from the row before's when the first twelve are the same), the last
 *   sixteen as eight bytes a row in base64 `b`; `k` as above;
 * - `{x, r}` texts that end with the same row's value of column `x` (an earlier one), `r` what comes
 *   before it (a column of the shapes above that refers to none).
 */
type Column =
  | unknown[]
  | { z: number[] }
  | { o: number; v: number[] }
  | { d: unknown[]; i: number[] }
  | { p: number[]; s: string[]; k?: 1 }
  | { s: number }
  | { u: number[]; m: number[]; b: string; k?: 1 }
  | { x: number; r: Column };

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

/** What a column of the second edition may be told from. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
const DASH = 0x2d;
/** Writes the lowest `digits` hex digits of `value` (below 2³²) at `at`. */
function hexInto(text: Buffer, at: number, value: number, digits: number): void {
  for (let k = digits - 1; k >= 0; k--) {
    text[at + k] = HEX_DIGITS[value & 15]!;
    value = Math.floor(value / 16);
  }
}

/** Whole numbers (any of them missing). */
const isWholeOrNull = (values: readonly unknown[]) => values.every((v) => v === null || Number.isSafeInteger(v));

/** About how many characters a whole number takes in the text a frame is packed from. */
const digits = (d: number) => {
  const a = d < 0 ? -d : d;
  const n = a < 10 ? 1 : a < 100 ? 2 : a < 1_000 ? 3 : a < 10_000 ? 4 : a < 100_000 ? 5 : a < 1_000_000 ? 6 : a < 10_000_000 ? 7 : a < 100_000_000 ? 8 : Math.floor(Math.log10(a)) + 1;
  return d < 0 ? n + 1 : n;
};

/** Two columns of the same rows that hold the same values. */
function sameValues(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let r = 0; r < a.length; r++) if (a[r] !== b[r]) return false;
  return true;
}

/** What a column's values are, found in one pass. */
interface Kinds {
  /** Every value a whole number or missing (null). */
  wholeOrNull: boolean;
  /** Some value an object (an array or a record). */
  object: boolean;
  /** Every value a text. */
  allText: boolean;
  /** Every value a text or missing. */
  textOrNull: boolean;
}

function kindsOf(values: readonly unknown[]): Kinds {
  let wholeOrNull = true;
  let object = false;
  let allText = true;
  let textOrNull = true;
  for (let r = 0; r < values.length; r++) {
    const v = values[r];
    if (v === null) {
      allText = false;
      continue;
    }
    if (typeof v === 'string') {
      wholeOrNull = false;
      continue;
    }
    allText = false;
    textOrNull = false;
    if (Number.isSafeInteger(v)) continue;
    wholeOrNull = false;
    if (typeof v === 'object') object = true;
  }
  return { wholeOrNull, object, allText, textOrNull };
}

const allUuids = (values: readonly string[]): boolean => {
  for (let r = 0; r < values.length; r++) if (!UUID.test(values[r]!)) return false;
  return true;
};

/**
 * Writes one copy's frames (the register's side). It keeps the copy's dictionary: the values of
 * columns that repeat (stations, users, articles, locations…) and the ids of master data, each
 * given a number once, so a later row names one by its number.
 *
 * `edition` is the shape of columns the station reads (the content type it named): the first
 * edition's shapes only, or the second's as well.
 */
export class CopyEncoder {
  private readonly dictionary = new Map<unknown, number>();
  /** The number the next value added gets (the station numbers them the same way, in order). */
  private next = 0;

  constructor(readonly edition: ColumnsEdition = 2) {}

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
    const kinds = kindsOf(values);
    if (kinds.object) return values as unknown[];
    const allText = kinds.allText;
    if (options.ids && allText) {
      for (const v of values) this.dictionary.set(v, this.next++);
      return { ...frontCoded(values as string[]), k: 1 };
    }
    if (options.unique && allText) return frontCoded(values as string[]);
    return (kinds.textOrNull ? this.named(values) : null) ?? (allText ? frontCoded(values as string[]) : (values as unknown[]));
  }

  /**
   * Texts (or none: the caller knows every value is one or the other) that mostly repeat, here or
   * earlier in the copy, named by number; null as soon as too many are new (the dictionary only
   * takes what repeats).
   */
  private named(values: readonly unknown[]): { d: unknown[]; i: number[] } | null {
    const n = values.length;
    const fresh = new Map<unknown, number>();
    const added: unknown[] = [];
    const i = new Array<number>(n);
    for (let r = 0; r < n; r++) {
      const v = values[r];
      // A value as the row before's is named as it was (a site's rows, one status after another…).
      if (r > 0 && v === values[r - 1]) {
        i[r] = i[r - 1]!;
        continue;
      }
      const k = this.dictionary.get(v);
      if (k !== undefined) i[r] = k;
      else {
        let l = fresh.get(v);
        if (l === undefined) {
          l = added.length;
          fresh.set(v, l);
          added.push(v);
          if (added.length * 4 > n) return null;
        }
        i[r] = -1 - l;
      }
    }
    const base = this.next;
    for (const v of added) this.dictionary.set(v, this.next++);
    for (let r = 0; r < n; r++) if (i[r]! < 0) i[r] = base - 1 - i[r]!;
    return { d: added, i };
  }

  /**
   * A column of the second edition, `at` its place among the frame's columns `cols` (it may be told
   * from one before it). Beyond the first edition's shapes: a column the same as an earlier one; whole
   * numbers (some missing) as the difference from the row before or from an earlier column of the
   * same row, whichever is shorter; ids that are UUIDs as their time (the difference from the row
   * before), their next four digits and their last sixteen as bytes; and texts that end with an
   * earlier column's value (a UDI with its serial number) as what comes before it.
   */
  private column2(values: readonly unknown[], at: number, cols: readonly (readonly unknown[])[], options: { ids?: boolean; unique?: boolean; inner?: boolean } = {}): Column {
    const n = values.length;
    if (n === 0) return [];
    if (!options.ids && !options.inner) for (let c = 0; c < at; c++) if (sameValues(values, cols[c]!)) return { s: c };
    const kinds = kindsOf(values);
    if (kinds.wholeOrNull) return options.inner ? (values as unknown[]) : this.numbers(values as (number | null)[], at, cols);
    if (kinds.object) return values as unknown[];
    const allText = kinds.allText;
    const uuids = () => allText && allUuids(values as string[]);
    if ((options.ids || options.unique) && uuids()) return uuidColumn(values as string[], options.ids ? (v) => this.dictionary.set(v, this.next++) : undefined);
    if (options.ids && allText) {
      for (const v of values) this.dictionary.set(v, this.next++);
      return { ...frontCoded(values as string[]), k: 1 };
    }
    if (options.unique && allText) return frontCoded(values as string[]);
    if (!options.inner) {
      const ending = this.ending(values, at, cols);
      if (ending) return ending;
    }
    return (kinds.textOrNull ? this.named(values) : null) ?? (uuids() ? uuidColumn(values as string[]) : allText ? frontCoded(values as string[]) : (values as unknown[]));
  }

  /** Which of a frame's columns are whole numbers, some at least (each asked once a frame). */
  private numeric = new WeakMap<readonly unknown[], boolean>();
  private someNumbers(values: readonly unknown[]): boolean {
    let known = this.numeric.get(values);
    if (known === undefined) this.numeric.set(values, (known = isWholeOrNull(values) && values.some((v) => v !== null)));
    return known;
  }

  /**
   * Whole numbers told the shortest way: as they are, from the row before, or from an earlier column.
   * Each way's size is counted first, and only the shortest is written out.
   */
  private numbers(values: readonly (number | null)[], at: number, cols: readonly (readonly unknown[])[]): Column {
    const n = values.length;
    let cost = 0;
    for (let r = 0; r < n; r++) {
      const v = values[r]!;
      cost += v === null ? 1 : digits(v);
    }
    // The way chosen: -1 as they are, `at` from the row before (the last that has a number), or the
    // earlier column it is told from.
    let best = -1;
    let c = 0;
    let before = 0;
    for (let r = 0; r < n && c < cost; r++) {
      const v = values[r]!;
      if (v === null) c += 1;
      else {
        const d = v - before;
        if (!Number.isSafeInteger(d)) {
          c = Infinity;
          break;
        }
        c += digits(d);
        before = v;
      }
    }
    if (c < cost) {
      cost = c;
      best = at;
    }
    for (let o = 0; o < at; o++) {
      const base = cols[o]!;
      if (!this.someNumbers(base)) continue;
      c = 0;
      for (let r = 0; r < n && c < cost; r++) {
        const x = values[r]!;
        const b = base[r] as number | null;
        if (x === null) c += 1;
        else if (b === null) c += digits(x);
        else {
          const d = x - b;
          if (!Number.isSafeInteger(d)) {
            c = Infinity;
            break;
          }
          c += digits(d);
        }
      }
      if (c < cost) {
        cost = c;
        best = o;
      }
    }
    if (best === -1) return values as unknown[];
    // Written out as counted (every difference was found exact); missing numbers stay missing.
    const v = new Array<number>(n);
    if (best === at) {
      before = 0;
      for (let r = 0; r < n; r++) {
        const x = values[r]!;
        if (x === null) v[r] = null as unknown as number;
        else {
          v[r] = x - before;
          before = x;
        }
      }
      return { z: v };
    }
    const base = cols[best] as readonly (number | null)[];
    for (let r = 0; r < n; r++) {
      const x = values[r]!;
      const b = base[r]!;
      v[r] = x === null ? (null as unknown as number) : b === null ? x : x - b;
    }
    return { o: best, v };
  }

  /** Texts that each end with an earlier column's text of the same row, as what comes before it. */
  private ending(values: readonly unknown[], at: number, cols: readonly (readonly unknown[])[]): Column | null {
    for (let c = 0; c < at; c++) {
      const base = cols[c]!;
      let ends = true;
      let some = false;
      for (let r = 0; r < values.length && ends; r++) {
        const v = values[r];
        if (v === null) continue;
        const b = base[r];
        ends = typeof v === 'string' && typeof b === 'string' && b.length > 0 && v.endsWith(b);
        some = true;
      }
      if (!ends || !some) continue;
      const rest = values.map((v, r) => (v === null ? null : (v as string).slice(0, (v as string).length - (base[r] as string).length)));
      return { x: c, r: this.column2(rest, at, cols, { inner: true }) };
    }
    return null;
  }

  /** A frame's columns in the edition the station reads. */
  private columns(cols: readonly (readonly unknown[])[], options: (c: number) => { ids?: boolean; unique?: boolean; offsetFrom?: number }): Column[] {
    return cols.map((values, c) => {
      const o = options(c);
      if (this.edition === 2) return this.column2(values, c, cols, o);
      const col = this.column(values, { ...o, offsetFrom: o.offsetFrom === undefined ? undefined : cols[o.offsetFrom] });
      return 'o' in col ? { ...col, o: o.offsetFrom! } : col;
    });
  }

  /** Rows of one kind read but not packed yet (the second edition gathers batches into larger frames). */
  private held: { batch: SnapshotBatch; rows: number; text: number } | null = null;

  /**
   * The frames of the batches the register read, as they are ready: called for each batch in the
   * order it was read, then `end` once for the rest. The first edition packs each batch as it
   * comes; the second gathers batches of one kind up to `ROWS_PER_FRAME` rows.
   */
  frames(batch: SnapshotBatch): Promise<Buffer>[] {
    if (this.edition === 1) return this.pack(batch);
    const out: Promise<Buffer>[] = [];
    const h = this.held;
    if (h && (h.batch.k !== batch.k || (h.batch.k === 'e' && batch.k === 'e' && h.batch.kind !== batch.kind))) out.push(...this.end());
    const text = batch.k === 'e' ? batch.data.reduce((n, d) => n + d.length, 0) : batch.rows.length * (batch.k === 'm' ? 150 : 60);
    const rows = batch.k === 'e' ? batch.ids.length : batch.rows.length;
    if (!this.held) {
      const copy: SnapshotBatch = batch.k === 'e' ? { k: 'e', kind: batch.kind, ids: [...batch.ids], data: [...batch.data] } : batch.k === 'm' ? { k: 'm', rows: [...batch.rows] } : { k: 'b', rows: [...batch.rows] };
      this.held = { batch: copy, rows, text };
    } else {
      const into = this.held.batch;
      if (into.k === 'e' && batch.k === 'e') {
        for (const id of batch.ids) into.ids.push(id);
        for (const d of batch.data) into.data.push(d);
      } else if (into.k !== 'e' && batch.k !== 'e') for (const r of batch.rows) (into.rows as unknown[]).push(r);
      this.held.rows += rows;
      this.held.text += text;
    }
    if (this.held.rows >= ROWS_PER_FRAME || this.held.text >= TEXT_PER_FRAME) out.push(...this.end());
    return out;
  }

  /** The frames of what is still held: called once the register has read the whole copy (and whenever it is to be sent at once). */
  end(): Promise<Buffer>[] {
    const h = this.held;
    this.held = null;
    return h ? this.pack(h.batch) : [];
  }

  /**
   * The frames of rows of one kind: master data grouped by the fields each row has (in their
   * order), each group one frame. Called in the order the frames are sent (the dictionary grows as
   * they go).
   */
  private pack(batch: SnapshotBatch): Promise<Buffer>[] {
    if (batch.k === 'm') {
      const n = batch.rows.length;
      const cols = MOVEMENT_FIELDS.map((_, c) => {
        const col = new Array<unknown>(n);
        for (let r = 0; r < n; r++) col[r] = (batch.rows[r] as readonly unknown[])[c];
        return col;
      });
      const occurred = MOVEMENT_FIELDS.indexOf('occurredAt');
      // When a movement was recorded is told from when it happened; a movement's own id is never
      // named again in a copy (a correction's `reverses` is rare).
      const columns = this.columns(cols, (c) => (MOVEMENT_FIELDS[c] === 'recordedAt' ? { offsetFrom: occurred } : { unique: MOVEMENT_FIELDS[c] === 'id' }));
      return [packFrame({ k: 'm', f: MOVEMENT_FIELDS, c: columns }, n, this.edition)];
    }
    if (batch.k === 'b') {
      const n = batch.rows.length;
      const columns = this.columns([0, 1, 2, 3].map((c) => batch.rows.map((r) => r[c])), () => ({}));
      return [packFrame({ k: 'b', c: columns }, n, this.edition)];
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
          c: this.columns([g.ids, ...g.fields.map((f) => g.rows.map((row) => row[f]))], (c) =>
            c === 0 ? { ids: REFERRED.has(batch.kind), unique: true } : { unique: g.fields[c - 1] === 'id' },
          ),
        },
        g.ids.length,
        this.edition,
      ),
    );
  }
}

/** UUIDs as three lists: their first twelve digits as a number told from the row before, the next four as a number (from the row before's when the first twelve are the same), the last sixteen as bytes in base64. */
function uuidColumn(values: readonly string[], add?: (v: string) => void): Column {
  const n = values.length;
  const u = new Array<number>(n);
  const m = new Array<number>(n);
  const bytes = Buffer.alloc(8 * n);
  let hi = 0;
  let mid = 0;
  for (let r = 0; r < n; r++) {
    const v = values[r]!;
    const h = parseInt(v.slice(0, 8) + v.slice(9, 13), 16);
    const d = parseInt(v.slice(14, 18), 16);
    u[r] = h - hi;
    m[r] = r > 0 && h === hi ? d - mid : d;
    hi = h;
    mid = d;
    bytes.write(v.slice(19, 23) + v.slice(24), 8 * r, 'hex');
    add?.(v);
  }
  return add ? { u, m, b: bytes.toString('base64'), k: 1 } : { u, m, b: bytes.toString('base64') };
}

/** Reads one copy's frames (the station's side), in the order they came, with the copy's dictionary. */
export class CopyDecoder {
  private readonly dictionary: unknown[] = [];

  private column(column: unknown, n: number, earlier: readonly unknown[][], inner = false): unknown[] {
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
    const before = (o: unknown) => {
      const base = Number.isInteger(o) && (o as number) >= 0 ? earlier[o as number] : undefined;
      if (!base) throw new CopyRefused('a column told from one that is not before it');
      return base;
    };
    if (keys === 'z') {
      // Whole numbers, some perhaps missing, each the difference from the last one before it.
      const z = list(c.z);
      const out = new Array<number | null>(n);
      let v = 0;
      for (let r = 0; r < n; r++) out[r] = z[r] === null ? null : (v = whole(v + whole(z[r])));
      return out;
    }
    if (keys === 'o,v') {
      // Whole numbers, each the difference from the same row's in an earlier column (itself where that has none).
      const v = list(c.v);
      const base = before(c.o);
      const out = new Array<number | null>(n);
      for (let r = 0; r < n; r++) out[r] = v[r] === null ? null : base[r] === null ? whole(v[r]) : whole(whole(base[r]) + whole(v[r]));
      return out;
    }
    if (keys === 's' && !inner) return before(c.s).slice();
    if (keys === 'r,x' && !inner) {
      const base = before(c.x);
      const rest = this.column(c.r, n, earlier, true);
      const out = new Array<string | null>(n);
      for (let r = 0; r < n; r++) {
        const v = rest[r];
        const b = base[r];
        if (v === null) out[r] = null;
        else if (typeof v !== 'string' || typeof b !== 'string' || b.length === 0 || v.length + b.length > MAX_TEXT) throw new CopyRefused('a text column that does not add up');
        else out[r] = v + b;
      }
      return out;
    }
    if (keys === 'b,m,u' || (keys === 'b,k,m,u' && c.k === 1)) {
      const u = list(c.u);
      const m = list(c.m);
      if (typeof c.b !== 'string' || !BASE64.test(c.b)) throw new CopyRefused('a column of ids that does not add up');
      const bytes = Buffer.from(c.b, 'base64');
      if (bytes.length !== 8 * n) throw new CopyRefused('a column of ids that does not add up');
      // Written as text into one buffer and each id read from it whole: a flat string per id, made at little cost.
      const text = Buffer.allocUnsafe(36 * n);
      const out = new Array<string>(n);
      let hi = 0;
      let mid = 0;
      for (let r = 0; r < n; r++) {
        const d = whole(u[r]);
        hi = whole(hi + d);
        mid = r > 0 && d === 0 ? mid + whole(m[r]) : whole(m[r]);
        if (hi < 0 || hi >= 2 ** 48 || mid < 0 || mid > 0xffff) throw new CopyRefused('a column of ids that does not add up');
        const top = Math.floor(hi / 2 ** 32);
        const low = hi - top * 2 ** 32;
        const t = 8 * r;
        const at = 36 * r;
        hexInto(text, at, top, 4);
        hexInto(text, at + 4, low >>> 16, 4);
        text[at + 8] = DASH;
        hexInto(text, at + 9, low & 0xffff, 4);
        text[at + 13] = DASH;
        hexInto(text, at + 14, mid, 4);
        text[at + 18] = DASH;
        hexInto(text, at + 19, bytes.readUInt16BE(t), 4);
        text[at + 23] = DASH;
        hexInto(text, at + 24, bytes.readUInt16BE(t + 2), 4);
        hexInto(text, at + 28, bytes.readUInt32BE(t + 4), 8);
        out[r] = text.toString('latin1', at, at + 36);
      }
      if (c.k === 1) this.add(out);
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
    return this.readParsed(unpackBody(body), rows);
  }

  /** The same from a frame's body already unpacked (`unpackFrame`). */
  readUnpacked(plain: Buffer, rows: number): ColumnFrame {
    if (rows > MAX_FRAME_ROWS) throw new CopyRefused(`a frame of more than ${MAX_FRAME_ROWS} rows`);
    return this.readParsed(parseBody(plain), rows);
  }

  private readParsed(body: unknown, rows: number): ColumnFrame {
    const parsed = frameShape.safeParse(body);
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
async function packFrame(value: unknown, rows: number, edition: ColumnsEdition = 1): Promise<Buffer> {
  const text = Buffer.from(JSON.stringify(value), 'utf8');
  const body = await pack(text, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: QUALITY[edition],
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
  z.object({ h: z.object({ epoch: text(200), cursor: z.number().int().nonnegative(), scope: text(64).min(1).nullish(), since: z.number().int().nullish(), counts: z.object({ entities: z.number().int().nonnegative(), movements: z.number().int().nonnegative(), balances: z.number().int().nonnegative() }) }) }).strict(),
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
    throw notUnpacked(e);
  }
  return parseBody(plain);
}

const inflate = promisify(brotliDecompress);

/**
 * Unpacks one frame's body on the thread pool, refusing what is too large once unpacked: a station
 * saving a copy as it arrives unpacks the next frames while it writes the one before.
 */
export async function unpackFrame(body: Uint8Array): Promise<Buffer> {
  try {
    return await inflate(body, { maxOutputLength: MAX_FRAME_BYTES });
  } catch (e) {
    throw notUnpacked(e);
  }
}

function notUnpacked(e: unknown): CopyRefused {
  if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return new CopyRefused(`a frame larger than ${MAX_FRAME_BYTES} bytes unpacked`);
  return new CopyRefused('a frame that does not unpack');
}

function parseBody(plain: Buffer): unknown {
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
