-- Balances are kept in their key's order (WITHOUT ROWID): each posting's upsert then finds and
-- writes one B-tree instead of the key's index and the table behind it.
-- The triggers that keep them are dropped while the table is rebuilt and made again unchanged.
DROP TRIGGER `movements_balance_from`;
--> statement-breakpoint
DROP TRIGGER `movements_balance_to`;
--> statement-breakpoint
CREATE TABLE `__new_balances` (
	`article_id` text NOT NULL,
	`location_id` text NOT NULL,
	`lot` text DEFAULT '' NOT NULL,
	`quantity` integer NOT NULL,
	PRIMARY KEY(`article_id`, `location_id`, `lot`),
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_balances` (`article_id`, `location_id`, `lot`, `quantity`)
  SELECT `article_id`, `location_id`, `lot`, `quantity` FROM `balances` ORDER BY `article_id`, `location_id`, `lot`;
--> statement-breakpoint
DROP TABLE `balances`;
--> statement-breakpoint
ALTER TABLE `__new_balances` RENAME TO `balances`;
--> statement-breakpoint
CREATE INDEX `balances_location` ON `balances` (`location_id`);
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
