import { z } from 'zod';
import { createLocation, createRange, moveEverything, retireLocation, siteLocations, updateLocation } from '../../db/locations/manage';
import { LOCATION_KINDS, LOCATION_LEVELS } from '../../db/schema';
import { setPreferred } from '../../db/service/workshop-data';
import { places, retireDeliveryPoint, saveDeliveryPoint, saveSite } from '../../db/locations/places';
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

  /** The region's sites, and this site's delivery points with their addresses, routes and weekdays. */
  'places.list': handler({ input: z.object({}).strict(), run: (ctx) => places(ctx.store, ctx.station.siteId) }),
  /** Changes a site: name, municipality, address, the route and weekday that deliver to it (an administrator's; it reaches every station). */
  'places.saveSite': handler({
    input: z
      .object({
        id,
        name: z.string().max(200),
        municipality: z.string().max(120),
        address: z.string().max(240).nullish(),
        postcode: z.string().max(20).nullish(),
        town: z.string().max(120).nullish(),
        route: z.string().max(120).nullish(),
        deliveryWeekday: z.number().int().nullish(),
      })
      .strict(),
    run: (ctx, i) => saveSite(ctx.store, actor(ctx), i),
  }),
  /** Creates or changes one of this site's delivery points (a supervisor's; it reaches every station). */
  'places.savePoint': handler({
    input: z
      .object({
        id: id.nullish(),
        name: z.string().max(200),
        address: z.string().max(240),
        postcode: z.string().max(20),
        town: z.string().max(120),
        municipality: z.string().max(120),
        route: z.string().max(120),
        weekday: z.number().int(),
      })
      .strict(),
    run: (ctx, i) => saveDeliveryPoint(ctx.store, actor(ctx), i),
  }),
  /** A delivery point no longer served; orders and pallets that name it keep its name. */
  'places.retirePoint': handler({ input: z.object({ id }).strict(), run: (ctx, i) => retireDeliveryPoint(ctx.store, actor(ctx), i.id) }),
};
