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
  /** The depot site whose own copy it is, null for the whole region's. */
  readonly scope: string | null;
  readonly epoch: string;
  readonly cursor: number;
  readonly madeAt: number;
  /** The frames as sent, the header's first. */
  readonly frames: readonly Buffer[];
}

/**
 * Where a copy is kept: the whole region's and each depot site's apart, whatever a site's id reads
 * (the region's system names its sites; a site named as the region's key must not share its copy).
 */
const keyOf = (scope: string | null): string => (scope === null ? 'region' : `site ${scope}`);

/** The newest made copy of each kind, each kept until one newer replaces it or it grows too old. */
export class MadeCopies {
  private readonly kept = new Map<string, MadeCopy>();

  constructor(private readonly maxAgeMs: number) {}

  /** The copy kept for `scope` (a depot site's own, null: the whole region's) while it is younger than the limit. */
  get(scope: string | null, now: number): MadeCopy | null {
    const key = keyOf(scope);
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
    const scope = header.scope ?? null;
    const held = this.kept.get(keyOf(scope));
    if (held && held.epoch === header.epoch && held.cursor > header.cursor) return;
    this.kept.set(keyOf(scope), { scope, epoch: header.epoch, cursor: header.cursor, madeAt, frames });
  }
}
