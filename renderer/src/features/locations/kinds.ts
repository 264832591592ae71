import type { LocationKind, LocationLevel } from '../../../../db/schema';

/** The kinds and levels of location, in the order the forms offer them (the core's own lists, by type). */
export const KINDS = ['shelf', 'rack', 'floor', 'goods_in', 'dispatch', 'returns', 'quarantine', 'cleaning', 'workshop', 'spare_parts'] as const satisfies readonly LocationKind[];
export const LEVELS = ['zone', 'aisle', 'shelf', 'bin'] as const satisfies readonly LocationLevel[];

// Every kind the core knows is offered: a kind added there and not here fails to compile.
type Missing<All, Listed> = Exclude<All, Listed> extends never ? true : never;
export const ALL_KINDS_LISTED: Missing<LocationKind, (typeof KINDS)[number]> = true;
export const ALL_LEVELS_LISTED: Missing<LocationLevel, (typeof LEVELS)[number]> = true;
