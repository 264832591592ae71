-- Balances follow the ledger through one trigger per side, each running only when its side is set,
-- and a balance that reaches zero is removed: a missing row means nothing there. This keeps the
-- balance table to what is actually on the shelves, which keeps postings fast.
DROP TRIGGER `movements_balance`;
--> statement-breakpoint
CREATE TRIGGER `movements_balance_from` AFTER INSERT ON `movements` WHEN NEW.`from_location_id` IS NOT NULL
BEGIN
  INSERT INTO `balances` (`article_id`, `location_id`, `lot`, `quantity`)
    VALUES (NEW.`article_id`, NEW.`from_location_id`, coalesce(NEW.`lot`, ''), -NEW.`quantity`)
    ON CONFLICT (`article_id`, `location_id`, `lot`) DO UPDATE SET `quantity` = `quantity` + excluded.`quantity`;
  DELETE FROM `balances`
    WHERE `article_id` = NEW.`article_id` AND `location_id` = NEW.`from_location_id` AND `lot` = coalesce(NEW.`lot`, '') AND `quantity` = 0;
END;
--> statement-breakpoint
CREATE TRIGGER `movements_balance_to` AFTER INSERT ON `movements` WHEN NEW.`to_location_id` IS NOT NULL
BEGIN
  INSERT INTO `balances` (`article_id`, `location_id`, `lot`, `quantity`)
    VALUES (NEW.`article_id`, NEW.`to_location_id`, coalesce(NEW.`lot`, ''), NEW.`quantity`)
    ON CONFLICT (`article_id`, `location_id`, `lot`) DO UPDATE SET `quantity` = `quantity` + excluded.`quantity`;
  DELETE FROM `balances`
    WHERE `article_id` = NEW.`article_id` AND `location_id` = NEW.`to_location_id` AND `lot` = coalesce(NEW.`lot`, '') AND `quantity` = 0;
END;
--> statement-breakpoint
DELETE FROM `balances` WHERE `quantity` = 0;
