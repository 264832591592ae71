import { LOCATION_KINDS, LOCATION_LEVELS, type LocationKind, type LocationLevel } from '../../../../vocabulary/domain';

/** The kinds the forms offer first: where stock is stored. */
const STORAGE_FIRST = ['shelf', 'rack', 'floor'] as const satisfies readonly LocationKind[];

/** The kinds of location in the order the forms offer them: storage first, then every other kind the core knows, in its order. */
export const KINDS: readonly LocationKind[] = [
  ...STORAGE_FIRST,
  ...LOCATION_KINDS.filter((k) => !(STORAGE_FIRST as readonly LocationKind[]).includes(k)),
];

/** The levels of location, from a zone down to a bin. */
export const LEVELS: readonly LocationLevel[] = LOCATION_LEVELS;
