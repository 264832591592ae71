CREATE TABLE `copy_scope` (
	`singleton` integer PRIMARY KEY DEFAULT 1 NOT NULL,
	`site_id` text NOT NULL,
	CONSTRAINT "copy_scope_singleton" CHECK("copy_scope"."singleton" = 1)
);
--> statement-breakpoint
-- A depot's own copy keeps the balances of its site's places only: a movement that brings stock
-- from the central store counts at the depot's shelf, never as a figure for a place it does not hold.
DROP TRIGGER `movements_balance_from`;
--> statement-breakpoint
DROP TRIGGER `movements_balance_to`;
--> statement-breakpoint
CREATE TRIGGER `movements_balance_from` AFTER INSERT ON `movements` WHEN NEW.`from_location_id` IS NOT NULL
  AND (NOT EXISTS (SELECT 1 FROM `copy_scope`)
    OR EXISTS (SELECT 1 FROM `locations` WHERE `id` = NEW.`from_location_id` AND `site_id` = (SELECT `site_id` FROM `copy_scope`)))
BEGIN
  INSERT INTO `balances` (`article_id`, `location_id`, `lot`, `quantity`)
    VALUES (NEW.`article_id`, NEW.`from_location_id`, coalesce(NEW.`lot`, ''), -NEW.`quantity`)
    ON CONFLICT (`article_id`, `location_id`, `lot`) DO UPDATE SET `quantity` = `quantity` + excluded.`quantity`;
  DELETE FROM `balances`
    WHERE `article_id` = NEW.`article_id` AND `location_id` = NEW.`from_location_id` AND `lot` = coalesce(NEW.`lot`, '') AND `quantity` = 0;
END;
--> statement-breakpoint
CREATE TRIGGER `movements_balance_to` AFTER INSERT ON `movements` WHEN NEW.`to_location_id` IS NOT NULL
  AND (NOT EXISTS (SELECT 1 FROM `copy_scope`)
    OR EXISTS (SELECT 1 FROM `locations` WHERE `id` = NEW.`to_location_id` AND `site_id` = (SELECT `site_id` FROM `copy_scope`)))
BEGIN
  INSERT INTO `balances` (`article_id`, `location_id`, `lot`, `quantity`)
    VALUES (NEW.`article_id`, NEW.`to_location_id`, coalesce(NEW.`lot`, ''), NEW.`quantity`)
    ON CONFLICT (`article_id`, `location_id`, `lot`) DO UPDATE SET `quantity` = `quantity` + excluded.`quantity`;
  DELETE FROM `balances`
    WHERE `article_id` = NEW.`article_id` AND `location_id` = NEW.`to_location_id` AND `lot` = coalesce(NEW.`lot`, '') AND `quantity` = 0;
END;
