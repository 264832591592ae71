-- A device's state is decided from its movements still standing: a correction names the movement
-- it reverses, and a ready device keeps the time it became ready, so moving it between shelves
-- no longer sends it to the back of the queue.
ALTER TABLE `individuals` ADD `ready_since` integer;--> statement-breakpoint
CREATE INDEX `individuals_ready` ON `individuals` (`article_id`,`ready_since`) WHERE "individuals"."status" = 'in_stock';--> statement-breakpoint
ALTER TABLE `movements` ADD `reverses` text;--> statement-breakpoint
-- What was ready before keeps the best time known for it: its last change.
UPDATE `individuals` SET `ready_since` = `updated_at` WHERE `status` = 'in_stock';--> statement-breakpoint
-- Earlier undos of a device's movement name what they reversed (the undo's audit entry, and the
-- correction that brought it back the same way). The ledger's guard is lifted for this one pass.
DROP TRIGGER `movements_append_only_update`;--> statement-breakpoint
UPDATE `movements` SET `reverses` = (
  SELECT x.`id` FROM `movements` x
  WHERE x.`individual_id` = `movements`.`individual_id` AND x.`reason` <> 'correction'
    AND x.`recorded_at` <= `movements`.`recorded_at`
    AND x.`to_location_id` IS `movements`.`from_location_id` AND x.`from_location_id` IS `movements`.`to_location_id`
    AND x.`id` IN (SELECT `entity_id` FROM `audit_log` WHERE `entity` = 'movement' AND `action` = 'undo')
  ORDER BY x.`recorded_at` DESC, x.`seq` DESC LIMIT 1)
WHERE `reason` = 'correction' AND `individual_id` IS NOT NULL;--> statement-breakpoint
CREATE TRIGGER `movements_append_only_update` BEFORE UPDATE ON `movements`
BEGIN SELECT RAISE(ABORT, 'movements are append-only: post a correcting movement instead'); END;
--> statement-breakpoint
-- A device tracked one by one never moves without its individual, whichever way the posting came
-- (this station's own postings; what the register sends was checked there).
CREATE TRIGGER `movements_individual_required` BEFORE INSERT ON `movements`
WHEN NEW.`individual_id` IS NULL AND NEW.`station_id` = (SELECT `id` FROM `station`)
BEGIN
  SELECT RAISE(ABORT, 'an individually tracked article moves only with its individual')
  WHERE (SELECT `rentable` FROM `articles` WHERE `id` = NEW.`article_id`) = 1;
END;
