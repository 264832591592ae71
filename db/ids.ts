import { randomFillSync } from 'node:crypto';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const pool = new Uint8Array(16 * 256);
let poolAt = pool.length;
let lastMs = -1;
let counter = 0;

/**
 * A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter that keeps IDs made
 * in the same millisecond in order, then random bits. Sorted as strings, IDs follow creation time.
 */
export function uuidv7(now: number = Date.now()): string {
  if (poolAt >= pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const b = pool.subarray(poolAt, poolAt + 16);
  poolAt += 16;
  let ms = now;
  if (ms <= lastMs) {
    ms = lastMs;
    counter++;
    if (counter > 0xfff) {
      ms = ++lastMs;
      counter = 0;
    }
  } else {
    counter = (b[6]! & 0x03) << 8; // start low so the counter rarely overflows
  }
  lastMs = ms;
  const hi = Math.floor(ms / 0x100000000);
  const lo = ms >>> 0;
  const out = new Uint8Array(16);
  out[0] = (hi >>> 8) & 0xff;
  out[1] = hi & 0xff;
  out[2] = (lo >>> 24) & 0xff;
  out[3] = (lo >>> 16) & 0xff;
  out[4] = (lo >>> 8) & 0xff;
  out[5] = lo & 0xff;
  out[6] = 0x70 | ((counter >>> 8) & 0x0f);
  out[7] = counter & 0xff;
  out[8] = 0x80 | (b[8]! & 0x3f);
  for (let i = 9; i < 16; i++) out[i] = b[i]!;
  let s = '';
  for (let i = 0; i < 16; i++) {
    s += HEX[out[i]!];
    if (i === 3 || i === 5 || i === 7 || i === 9) s += '-';
  }
  return s;
}

