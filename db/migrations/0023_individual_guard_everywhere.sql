-- The guard for devices tracked one by one holds for every write to the ledger except what the
-- register sends (checked there), whichever station id a write claims.
DROP TRIGGER `movements_individual_required`;
--> statement-breakpoint
CREATE TRIGGER `movements_individual_required` BEFORE INSERT ON `movements`
WHEN NEW.`individual_id` IS NULL AND NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  SELECT RAISE(ABORT, 'an individually tracked article moves only with its individual')
  WHERE (SELECT `rentable` FROM `articles` WHERE `id` = NEW.`article_id`) = 1;
END;
