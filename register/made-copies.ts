/**
 * Full copies in columns as the register made them for a station: the frames kept, with the
 * cursor they are consistent at, so the next station asking for the same copy soon after (many
 * stations starting over at once after the register's history started over, a new central station
 * enrolled the same day) is given them as they are, without the register reading and packing
 * 1.4 M rows again. Whether one may be given is `madeCopyFits` (pull.ts); what follows the copy
 * comes by the ordinary pull from its cursor.
 */
import type { SnapshotHeader } from '../db/sync/wire';

export interface MadeCopy {
  /** `*` for the whole region's copy, a depot site's id for its own. */
  readonly key: string;
  readonly epoch: string;
  readonly cursor: number;
  readonly madeAt: number;
  /** The frames as sent, the header's first. */
  readonly frames: readonly Buffer[];
}

/** The newest made copy of each kind, each kept until one newer replaces it or it grows too old. */
export class MadeCopies {
  private readonly kept = new Map<string, MadeCopy>();

  constructor(private readonly maxAgeMs: number) {}

  /** The copy kept for `key` while it is younger than the limit. */
  get(key: string, now: number): MadeCopy | null {
    const made = this.kept.get(key);
    if (!made) return null;
    if (now - made.madeAt > this.maxAgeMs) {
      this.kept.delete(key);
      return null;
    }
    return made;
  }

  /** Keeps a copy just made (a newer one only: a copy read earlier that ends later does not replace it). */
  keep(header: SnapshotHeader, frames: readonly Buffer[], madeAt: number): void {
    if (this.maxAgeMs <= 0) return;
    const key = header.scope ?? '*';
    const held = this.kept.get(key);
    if (held && held.epoch === header.epoch && held.cursor > header.cursor) return;
    this.kept.set(key, { key, epoch: header.epoch, cursor: header.cursor, madeAt, frames });
  }
}
