/**
 * A movement travels as a fixed-order array. Its order is written once (`MOVEMENT_FIELDS`), and
 * the array's type, its schema, the database columns and the named record all follow from it:
 * a movement survives the trip to the wire and back, through JSON, and through the register's
 * databases (whose numbers PostgreSQL hands back as text) unchanged.
 */
import fc from 'fast-check';
import { getTableColumns } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { uuidv7 } from '../../db/ids';
import { movements as stationMovements } from '../../db/schema';
import {
  decodeIndividual,
  decodeMovement,
  encodeIndividual,
  encodeMovement,
  INDIVIDUAL_FIELDS,
  individualTuple,
  MOVEMENT_COLUMNS,
  MOVEMENT_FIELDS,
  movementTuple,
  movementValues,
  selectMovement,
  type Individual,
  type Movement,
  type MovementField,
  type MovementTuple,
} from '../../db/sync/wire';
import { movements as pgMovements } from '../../register/schema/pg';
import { movements as sqliteMovements } from '../../register/schema/sqlite';
import { insertRows } from '../../register/sql';
import { openRegisterDb } from '../../register/store';
import { registerDbOptions, STORES } from './harness';

const text = (maxLength: number, minLength = 0) => fc.string({ minLength, maxLength });
const id = text(64, 1);
const nullable = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
/** Any number JSON carries exactly (the register judges whether it makes sense). */
const exact = fc.oneof(fc.maxSafeInteger(), fc.double({ min: -1e15, max: 1e15, noNaN: true }).filter((x) => !Object.is(x, -0)));

const movement: fc.Arbitrary<Movement> = fc.record({
  id,
  stationId: id,
  seq: exact,
  userId: id,
  occurredAt: exact,
  recordedAt: exact,
  articleId: id,
  individualId: nullable(id),
  lot: nullable(text(200)),
  fromLocationId: nullable(id),
  toLocationId: nullable(id),
  quantity: exact,
  reason: text(40),
  orderRef: nullable(text(200)),
  reverses: nullable(id),
});

const individual: fc.Arbitrary<Individual> = fc.record({
  id,
  individualNumber: text(64, 1),
  articleId: id,
  serialNumber: nullable(text(200)),
  udi: nullable(text(200)),
});

/** How many items a tuple schema checks (and that it takes no more). */
const tupleItems = (schema: z.ZodType) => {
  expect(schema).toBeInstanceOf(z.ZodTuple);
  const def = (schema as z.ZodTuple).def;
  expect(def.rest).toBeNull();
  return def.items.length;
};

describe('the movement on the wire', () => {
  it('names each field once, as many as the array carries, the schema checks and the tables hold', () => {
    expect(new Set(MOVEMENT_FIELDS).size).toBe(MOVEMENT_FIELDS.length);
    expect(tupleItems(movementTuple)).toBe(MOVEMENT_FIELDS.length);
    expect(MOVEMENT_COLUMNS).toHaveLength(MOVEMENT_FIELDS.length);
    fc.assert(
      fc.property(movement, (m) => {
        expect(encodeMovement(m)).toHaveLength(MOVEMENT_FIELDS.length);
      }),
      { numRuns: 20 },
    );
    // The station's table and the register's (on both databases) have exactly these columns; the register's adds its change number.
    const columns = (table: Parameters<typeof getTableColumns>[0]) => Object.values(getTableColumns(table)).map((c) => c.name);
    expect(columns(stationMovements).sort()).toEqual([...MOVEMENT_COLUMNS].sort());
    expect(columns(sqliteMovements).sort()).toEqual([...MOVEMENT_COLUMNS, 'rev'].sort());
    expect(columns(pgMovements).sort()).toEqual([...MOVEMENT_COLUMNS, 'rev'].sort());
    expect(new Set(INDIVIDUAL_FIELDS).size).toBe(INDIVIDUAL_FIELDS.length);
    expect(tupleItems(individualTuple)).toBe(INDIVIDUAL_FIELDS.length);
  });

  it('keeps the order stations and registers already speak', () => {
    const sent: MovementTuple = ['m1', 's1', 7, 'u1', 1_700_000_000_000, 1_700_000_000_500, 'a1', 'i1', 'L42', 'from', 'to', 3, 'move', 'o1', null];
    expect(decodeMovement(sent)).toEqual({
      id: 'm1',
      stationId: 's1',
      seq: 7,
      userId: 'u1',
      occurredAt: 1_700_000_000_000,
      recordedAt: 1_700_000_000_500,
      articleId: 'a1',
      individualId: 'i1',
      lot: 'L42',
      fromLocationId: 'from',
      toLocationId: 'to',
      quantity: 3,
      reason: 'move',
      orderRef: 'o1',
      reverses: null,
    });
    expect(MOVEMENT_COLUMNS.join(', ')).toBe(
      'id, station_id, seq, user_id, occurred_at, recorded_at, article_id, individual_id, lot, from_location_id, to_location_id, quantity, reason, order_ref, reverses',
    );
    expect(decodeIndividual(['i1', 'I0100001', 'a1', 'SN-1', null])).toEqual({ id: 'i1', individualNumber: 'I0100001', articleId: 'a1', serialNumber: 'SN-1', udi: null });
  });

  it('carries any movement and individual to the wire and back unchanged, through JSON and the schema', () => {
    fc.assert(
      fc.property(movement, individual, (m, i) => {
        const sent = JSON.parse(JSON.stringify(encodeMovement(m))) as unknown;
        const checked = movementTuple.parse(sent);
        expect(decodeMovement(checked)).toEqual(m);
        expect(movementValues(checked)).toEqual(MOVEMENT_FIELDS.map((f) => m[f]));
        expect(decodeIndividual(individualTuple.parse(JSON.parse(JSON.stringify(encodeIndividual(i)))))).toEqual(i);
      }),
    );
  });

  it('refuses an array one field short or long, or with any field of the wrong kind', () => {
    fc.assert(
      fc.property(movement, fc.nat(MOVEMENT_FIELDS.length - 1), (m, at) => {
        const t = encodeMovement(m) as unknown[];
        expect(movementTuple.safeParse(t).success).toBe(true);
        expect(movementTuple.safeParse(t.slice(0, -1)).success).toBe(false);
        expect(movementTuple.safeParse([...t, null]).success).toBe(false);
        expect(movementTuple.safeParse(t.map((v, i) => (i === at ? { field: MOVEMENT_FIELDS[at] } : v))).success).toBe(false);
      }),
    );
  });

  it('reads a movement from a peer that does not send what it reverses yet', () => {
    const old = ['m1', 's1', 7, 'u1', 1, 2, 'a1', null, null, null, 'to', 3, 'receipt', null] as unknown as MovementTuple;
    expect(decodeMovement(old).reverses).toBeNull();
    expect(movementValues(old)).toHaveLength(MOVEMENT_COLUMNS.length);
    expect(movementValues(old).at(-1)).toBeNull();
  });

  it('reads numbers a database hands back as text as numbers, and leaves what is absent null', () => {
    fc.assert(
      fc.property(movement, (m) => {
        const row = { ...m, seq: String(m.seq), occurredAt: String(m.occurredAt), recordedAt: String(m.recordedAt), quantity: String(m.quantity), orderRef: undefined };
        expect(decodeMovement(encodeMovement(row))).toEqual({ ...m, orderRef: null });
      }),
    );
  });

  describe.each(STORES)('through the register on %s', (kind) => {
    it('reads back with selectMovement exactly the movement it stored from its array', async () => {
      const db = await openRegisterDb(await registerDbOptions(kind));
      let rev = 0;
      try {
        // The databases' own limits: whole numbers, a 32-bit quantity, text without NUL.
        const stored = movement.map((m) => ({
          ...m,
          id: uuidv7(),
          occurredAt: Math.trunc(Math.abs(m.occurredAt)),
          recordedAt: Math.trunc(Math.abs(m.recordedAt)),
          // + 0: a database knows no -0.
          quantity: (Math.trunc(m.quantity) % 2 ** 31) + 0,
        }));
        await fc.assert(
          fc.asyncProperty(fc.array(stored, { minLength: 1, maxLength: 5 }), async (ms) => {
            const tuples = ms.map((m) => encodeMovement({ ...m, seq: ++rev }));
            await db.tx((q) => insertRows(q, `insert into movements (${MOVEMENT_COLUMNS.join(', ')}, rev)`, MOVEMENT_COLUMNS.length + 1, tuples.map((t) => [...movementValues(t), ++rev])));
            for (const t of tuples) {
              const rows = await db.all<Record<string, unknown>>(`select ${selectMovement()} from movements where id = $1`, [decodeMovement(t).id]);
              expect(rows.map((r) => encodeMovement(r as Record<MovementField, unknown>))).toEqual([t]);
            }
          }),
          { numRuns: 25 },
        );
      } finally {
        await db.close();
      }
    });
  });
});
