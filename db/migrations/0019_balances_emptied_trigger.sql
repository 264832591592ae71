-- A posting's balance trigger only adds its quantity; an emptied place's row is removed by a
-- trigger on the balance itself, which runs only when an update lands on zero. Before, every
-- posting looked the row up a second time to see whether it had reached zero.
-- (A movement's quantity is above zero, so a new balance row is never zero.)
DROP TRIGGER `movements_balance_from`;
--> statement-breakpoint
DROP TRIGGER `movements_balance_to`;
--> statement-breakpoint
CREATE TRIGGER `movements_balance_from` AFTER INSERT ON `movements` WHEN NEW.`from_location_id` IS NOT NULL
BEGIN
  INSERT INTO `balances` (`article_id`, `location_id`, `lot`, `quantity`)
    VALUES (NEW.`article_id`, NEW.`from_location_id`, coalesce(NEW.`lot`, ''), -NEW.`quantity`)
    ON CONFLICT (`article_id`, `location_id`, `lot`) DO UPDATE SET `quantity` = `quantity` + excluded.`quantity`;
END;
--> statement-breakpoint
CREATE TRIGGER `movements_balance_to` AFTER INSERT ON `movements` WHEN NEW.`to_location_id` IS NOT NULL
BEGIN
  INSERT INTO `balances` (`article_id`, `location_id`, `lot`, `quantity`)
    VALUES (NEW.`article_id`, NEW.`to_location_id`, coalesce(NEW.`lot`, ''), NEW.`quantity`)
    ON CONFLICT (`article_id`, `location_id`, `lot`) DO UPDATE SET `quantity` = `quantity` + excluded.`quantity`;
END;
--> statement-breakpoint
CREATE TRIGGER `balances_emptied` AFTER UPDATE OF `quantity` ON `balances` WHEN NEW.`quantity` = 0
BEGIN
  DELETE FROM `balances` WHERE `article_id` = NEW.`article_id` AND `location_id` = NEW.`location_id` AND `lot` = NEW.`lot`;
END;
