-- Earlier undos name the movement they reversed (from the stations' audit trail, as the stations
-- do themselves), and a device ready before keeps the best time known for it, so the register's
-- replay of a device's history agrees with the stations from the first push after the upgrade.
UPDATE "movements" m SET "reverses" = (
  SELECT x."id" FROM "movements" x
  WHERE x."individual_id" = m."individual_id" AND x."reason" <> 'correction'
    AND x."recorded_at" <= m."recorded_at"
    AND x."to_location_id" IS NOT DISTINCT FROM m."from_location_id" AND x."from_location_id" IS NOT DISTINCT FROM m."to_location_id"
    AND x."id" IN (SELECT "entity_id" FROM "audit_entries" WHERE "entity" = 'movement' AND "action" = 'undo')
  ORDER BY x."recorded_at" DESC, x."seq" DESC LIMIT 1)
WHERE m."reason" = 'correction' AND m."individual_id" IS NOT NULL AND m."reverses" IS NULL;
--> statement-breakpoint
UPDATE "entities" SET "data" = jsonb_set("data"::jsonb, '{ready_since}', "data"::jsonb -> 'updated_at')::text
WHERE "kind" = 'individual' AND "data"::jsonb ->> 'status' = 'in_stock' AND coalesce("data"::jsonb -> 'ready_since', 'null'::jsonb) = 'null'::jsonb;
