/**
 * A station's first full copy from the register, kept on disk while it downloads: it holds
 * everything the station's database does, so it is kept as unreadable as the database.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { closeSync, createWriteStream, openSync, readSync, rmSync } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CopyDecoder, CopyRefused, MAX_FRAME_BYTES, readHeaderFrame, unpackFrame } from '../db/sync/columns';
import { applyStreamedColumnSnapshot } from '../db/sync/apply';
import type { StationDb } from '../db/open';
import { unframe } from '../db/sync/wire';

/*
 * A full copy waiting on disk holds everything the station's database does, so it is kept as
 * unreadable: sealed as it arrives with AES-256-GCM under a key derived from the database key
 * and a salt of its own, in chunks that each carry their own nonce and tag and are bound to their
 * place (number, length, and whether the copy ends there), so it is read back one chunk at a time
 * and a chunk altered, moved or cut off is refused. The file: `DSCOPY01`, the salt, then chunks of
 * `[u8 last][u32 length][12-byte nonce][16-byte tag][ciphertext]`.
 */
const SEALED_MAGIC = Buffer.from('DSCOPY01', 'latin1');
const SALT_BYTES = 16;
const CHUNK_BYTES = 1 << 20;
const CHUNK_HEAD_BYTES = 1 + 4 + 12 + 16;
const MAX_CHUNK_BYTES = 16 << 20;

const copyKey = (databaseKey: Buffer, salt: Buffer): Buffer => Buffer.from(hkdfSync('sha256', databaseKey, salt, 'depot-station register copy v1', 32));

/** What a chunk's tag covers besides its ciphertext: its number and the first five bytes of its head. */
function chunkAad(index: number, head: Buffer): Buffer {
  const aad = Buffer.alloc(9);
  aad.writeUInt32BE(index, 0);
  head.copy(aad, 4, 0, 5);
  return aad;
}

class DamagedCopy extends Error {
  constructor() {
    super('the stored full copy is damaged or was altered');
  }
}

/** Seals a stream of bytes chunk by chunk (see above); a chunk goes out once it holds CHUNK_BYTES. */
function sealStream(databaseKey: Buffer): Transform {
  const salt = randomBytes(SALT_BYTES);
  const key = copyKey(databaseKey, salt);
  let index = 0;
  let pending: Buffer[] = [];
  let size = 0;
  let started = false;
  const seal = (out: Transform, plain: Buffer, last: boolean) => {
    if (!started) {
      out.push(Buffer.concat([SEALED_MAGIC, salt]));
      started = true;
    }
    const head = Buffer.alloc(CHUNK_HEAD_BYTES);
    head.writeUInt8(last ? 1 : 0, 0);
    head.writeUInt32BE(plain.length, 1);
    const nonce = randomBytes(12);
    nonce.copy(head, 5);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(chunkAad(index++, head));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    cipher.getAuthTag().copy(head, 17);
    out.push(head);
    out.push(body);
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      pending.push(chunk);
      size += chunk.length;
      if (size >= CHUNK_BYTES) {
        const all = Buffer.concat(pending, size);
        let at = 0;
        for (; all.length - at >= CHUNK_BYTES; at += CHUNK_BYTES) seal(this, all.subarray(at, at + CHUNK_BYTES), false);
        pending = at < all.length ? [all.subarray(at)] : [];
        size = all.length - at;
      }
      done();
    },
    flush(done) {
      seal(this, Buffer.concat(pending, size), true);
      pending = [];
      done();
    },
  });
}

/** Reads a sealed file back in order, one chunk in memory at a time. */
class SealedReader {
  private readonly fd: number;
  private readonly key: Buffer;
  private index = 0;
  private chunk = Buffer.alloc(0);
  private at = 0;
  private ended = false;

  constructor(file: string, databaseKey: Buffer) {
    this.fd = openSync(file, 'r');
    try {
      const head = this.exactly(SEALED_MAGIC.length + SALT_BYTES);
      if (!head || !head.subarray(0, SEALED_MAGIC.length).equals(SEALED_MAGIC)) throw new DamagedCopy();
      this.key = copyKey(databaseKey, head.subarray(SEALED_MAGIC.length));
    } catch (e) {
      closeSync(this.fd);
      throw e;
    }
  }

  /** The next `n` plain bytes, fewer only where the copy ends. */
  read(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      if (this.at === this.chunk.length) {
        if (!this.next()) break;
        continue;
      }
      const take = Math.min(n - filled, this.chunk.length - this.at);
      this.chunk.copy(out, filled, this.at, this.at + take);
      this.at += take;
      filled += take;
    }
    return filled === n ? out : out.subarray(0, filled);
  }

  close(): void {
    closeSync(this.fd);
  }

  private next(): boolean {
    if (this.ended) return false;
    const head = this.exactly(CHUNK_HEAD_BYTES);
    // The last chunk says it is the last: a file that ends before it was cut off.
    if (!head) throw new DamagedCopy();
    const last = head.readUInt8(0);
    const length = head.readUInt32BE(1);
    if (last > 1 || length > MAX_CHUNK_BYTES) throw new DamagedCopy();
    const body = length > 0 ? this.exactly(length) : Buffer.alloc(0);
    if (!body) throw new DamagedCopy();
    const decipher = createDecipheriv('aes-256-gcm', this.key, head.subarray(5, 17));
    decipher.setAAD(chunkAad(this.index++, head));
    decipher.setAuthTag(head.subarray(17, CHUNK_HEAD_BYTES));
    try {
      this.chunk = Buffer.concat([decipher.update(body), decipher.final()]);
    } catch {
      throw new DamagedCopy();
    }
    this.at = 0;
    this.ended = last === 1;
    return true;
  }

  /** Exactly `n` bytes from the file, or null where it ends first. */
  private exactly(n: number): Buffer | null {
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const got = readSync(this.fd, out, filled, n - filled, null);
      if (got === 0) return null;
      filled += got;
    }
    return out;
  }
}

/** Stores a full copy's frames in `file` as they arrive, sealed with a key derived from the station's database key. */
export async function writeFrames(source: Readable, file: string, databaseKey: Buffer): Promise<void> {
  // A copy left by a start cut short goes first, so the new file is made owner-only.
  rmSync(file, { force: true });
  await pipeline(source, sealStream(databaseKey), createWriteStream(file, { mode: 0o600 }));
}

/** The frames of a stored full copy (their row count and body), one chunk unsealed at a time. */
export function* readFrameBodies(file: string, databaseKey: Buffer): Generator<{ rows: number; body: Buffer }> {
  const reader = new SealedReader(file, databaseKey);
  try {
    for (;;) {
      const head = reader.read(8);
      if (head.length < 8) break;
      if (head.readUInt32BE(0) > MAX_FRAME_BYTES) throw new CopyRefused(`a frame larger than ${MAX_FRAME_BYTES} bytes`);
      const body = reader.read(head.readUInt32BE(0));
      if (body.length < head.readUInt32BE(0)) throw new DamagedCopy();
      yield { rows: head.readUInt32BE(4), body };
    }
  } finally {
    reader.close();
  }
}

/** The lines of a stored full copy in its first shape, one chunk unsealed and one frame unpacked at a time (it is applied in one synchronous transaction). */
export function* readFrames(file: string, databaseKey: Buffer): Generator<string> {
  for (const { body } of readFrameBodies(file, databaseKey)) yield* unframe(body);
}

/**
 * The frames of a full copy as they arrive, `[u32 length][u32 rows][body]`, each whole: a frame
 * longer than `MAX_FRAME_BYTES` is refused before it is gathered, and a copy that ends inside a
 * frame is refused as cut off.
 */
export async function* arrivingFrameBodies(source: AsyncIterable<Buffer>): AsyncGenerator<{ rows: number; body: Buffer }> {
  let parts: Buffer[] = [];
  let have = 0;
  let rows = -1;
  let need = 8;
  for await (const chunk of source) {
    parts.push(chunk);
    have += chunk.length;
    while (have >= need) {
      const all = parts.length === 1 ? parts[0]! : Buffer.concat(parts, have);
      parts = [all];
      if (rows < 0) {
        const length = all.readUInt32BE(0);
        if (length > MAX_FRAME_BYTES) throw new CopyRefused(`a frame larger than ${MAX_FRAME_BYTES} bytes`);
        rows = all.readUInt32BE(4);
        need = 8 + length;
        continue;
      }
      const body = all.subarray(8, need);
      const rest = all.subarray(need);
      parts = rest.length > 0 ? [rest] : [];
      have = rest.length;
      const frame = { rows, body };
      rows = -1;
      need = 8;
      yield frame;
    }
  }
  // Cut off on the way (the register or the line went away mid-frame): tried again at the next round.
  if (have > 0) throw new Error('the copy was cut off inside a frame');
}

/** Frames of a copy being saved as it arrives that are unpacked at once, ahead of the one being written. */
const UNPACKED_AHEAD = 3;

/**
 * A new station's copy in columns, saved frame by frame as its bytes arrive
 * (`applyStreamedColumnSnapshot`), each frame unpacked on the thread pool a few ahead of the one
 * being written. `progress` is told the rows saved of the header's total, and once more with
 * `finishing` when every row is in. False when the source held not even the header's frame.
 */
export async function saveArrivingCopy(store: StationDb, source: AsyncIterable<Buffer>, progress?: (done: number, total: number, finishing: boolean) => void): Promise<boolean> {
  const frames = arrivingFrameBodies(source);
  const head = await frames.next();
  if (head.done) return false;
  const h = readHeaderFrame(head.value.body);
  const total = h.counts.entities + h.counts.movements + h.counts.balances;
  const decoder = new CopyDecoder();
  const unpacked = Readable.from(frames).map(async (f: { body: Buffer; rows: number }) => ({ rows: f.rows, plain: await unpackFrame(f.body) }), { concurrency: UNPACKED_AHEAD });
  const read = async function* () {
    for await (const u of unpacked as AsyncIterable<{ rows: number; plain: Buffer }>) yield decoder.readUnpacked(u.plain, u.rows);
  };
  await applyStreamedColumnSnapshot(store, h, read(), (done, finishing) => progress?.(done, total, finishing));
  return true;
}
