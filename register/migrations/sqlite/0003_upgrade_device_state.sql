-- Earlier undos name the movement they reversed (from the stations' audit trail, as the stations
-- do themselves), and a device ready before keeps the best time known for it, so the register's
-- replay of a device's history agrees with the stations from the first push after the upgrade.
UPDATE `movements` SET `reverses` = (
  SELECT x.`id` FROM `movements` x
  WHERE x.`individual_id` = `movements`.`individual_id` AND x.`reason` <> 'correction'
    AND x.`recorded_at` <= `movements`.`recorded_at`
    AND x.`to_location_id` IS `movements`.`from_location_id` AND x.`from_location_id` IS `movements`.`to_location_id`
    AND x.`id` IN (SELECT `entity_id` FROM `audit_entries` WHERE `entity` = 'movement' AND `action` = 'undo')
  ORDER BY x.`recorded_at` DESC, x.`seq` DESC LIMIT 1)
WHERE `reason` = 'correction' AND `individual_id` IS NOT NULL AND `reverses` IS NULL;
--> statement-breakpoint
UPDATE `entities` SET `data` = json_set(`data`, '$.ready_since', json_extract(`data`, '$.updated_at'))
WHERE `kind` = 'individual' AND json_extract(`data`, '$.status') = 'in_stock' AND json_extract(`data`, '$.ready_since') IS NULL;
