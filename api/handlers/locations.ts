import { z } from 'zod';
import { createLocation, createRange, moveEverything, retireLocation, siteLocations, updateLocation } from '../../db/locations/manage';
import { LOCATION_KINDS, LOCATION_LEVELS } from '../../db/schema';
import { setPreferred } from '../../db/service/workshop-data';
import { actor, announcePosted, handler } from '../context';

const id = z.string().min(1).max(64);
const capacity = z.number().int().positive().max(1_000_000).nullish();

export const locationHandlers = {
  'locations.list': handler({ input: z.object({ siteId: id }).strict(), run: (ctx, i) => siteLocations(ctx.store, i.siteId) }),

  'locations.create': handler({
    input: z
      .object({ siteId: id, parentId: id.nullable(), code: z.string().min(2).max(40), name: z.string().max(80), level: z.enum(LOCATION_LEVELS), kind: z.enum(LOCATION_KINDS), capacity })
      .strict(),
    run: (ctx, i) => ({ id: createLocation(ctx.store, actor(ctx), i) }),
  }),

  'locations.update': handler({
    input: z.object({ id, name: z.string().max(80).optional(), parentId: id.nullable().optional(), kind: z.enum(LOCATION_KINDS).optional(), capacity }).strict(),
    run: (ctx, { id: locationId, ...rest }) => {
      updateLocation(ctx.store, actor(ctx), locationId, rest);
      return { id: locationId };
    },
  }),

  'locations.retire': handler({ input: z.object({ id }).strict(), run: (ctx, i) => ({ retired: retireLocation(ctx.store, actor(ctx), i.id) }) }),

  'locations.createRange': handler({
    input: z
      .object({
        parentId: id,
        aisle: z.string().max(4).regex(/^[A-Za-zÅÄÖåäö0-9]{1,4}$/),
        shelves: z.tuple([z.number().int(), z.number().int()]),
        bins: z.tuple([z.number().int(), z.number().int()]).nullable(),
        kind: z.enum(LOCATION_KINDS),
        capacity,
      })
      .strict(),
    run: (ctx, i) => createRange(ctx.store, actor(ctx), i),
  }),

  'locations.preferred': handler({
    input: z.object({ articleId: id, siteId: id, locationId: id.nullable() }).strict(),
    run: (ctx, i) => {
      setPreferred(ctx.store, actor(ctx), i);
      return i;
    },
  }),

  /** Empties a location into another, by scanning both. */
  'locations.moveEverything': handler({
    input: z.object({ fromLocationId: id, toLocationId: id }).strict(),
    run: (ctx, i) => announcePosted(ctx, moveEverything(ctx.store, actor(ctx), i.fromLocationId, i.toLocationId)),
  }),
};
