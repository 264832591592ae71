-- Purchasing's reconditioning pipeline reads two running figures instead of counting the service
-- jobs each time: the open jobs per site and article (the queue), and the jobs made ready or
-- scrapped per site and day (the workshop's pace; days since the Unix epoch, UTC). Triggers on
-- the jobs keep both exactly right in the transaction of each change, whoever writes it (the
-- workshop here, or the register through sync): a job opened, closed or reopened, moved to
-- another site, made ready or scrapped, taken back, or removed. A figure that reaches zero is
-- removed, so each table holds only what is there.
CREATE TABLE `service_queue_by_article` (
	`site_id` text NOT NULL,
	`article_id` text NOT NULL,
	`open` integer NOT NULL,
	PRIMARY KEY (`site_id`, `article_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `service_done_by_day` (
	`site_id` text NOT NULL,
	`day` integer NOT NULL,
	`ready` integer NOT NULL,
	`scrapped` integer NOT NULL,
	PRIMARY KEY (`site_id`, `day`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `service_queue_by_article` (`site_id`, `article_id`, `open`)
  SELECT `site_id`, `article_id`, count(*) FROM `service_jobs`
  WHERE `closed_at` IS NULL AND `article_id` IS NOT NULL GROUP BY `site_id`, `article_id`;
--> statement-breakpoint
INSERT INTO `service_done_by_day` (`site_id`, `day`, `ready`, `scrapped`)
  SELECT `site_id`, CAST(`done_at` / 86400000 AS INTEGER), sum(`state` = 'ready'), sum(`state` = 'scrapped') FROM `service_jobs`
  WHERE `done_at` IS NOT NULL AND `state` IN ('ready', 'scrapped') GROUP BY 1, 2;
--> statement-breakpoint
CREATE TRIGGER `service_queue_insert` AFTER INSERT ON `service_jobs` WHEN NEW.`closed_at` IS NULL AND NEW.`article_id` IS NOT NULL
BEGIN
  INSERT INTO `service_queue_by_article` (`site_id`, `article_id`, `open`) VALUES (NEW.`site_id`, NEW.`article_id`, 1)
    ON CONFLICT (`site_id`, `article_id`) DO UPDATE SET `open` = `open` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `service_queue_delete` AFTER DELETE ON `service_jobs` WHEN OLD.`closed_at` IS NULL AND OLD.`article_id` IS NOT NULL
BEGIN
  UPDATE `service_queue_by_article` SET `open` = `open` - 1 WHERE `site_id` = OLD.`site_id` AND `article_id` = OLD.`article_id`;
  DELETE FROM `service_queue_by_article` WHERE `site_id` = OLD.`site_id` AND `article_id` = OLD.`article_id` AND `open` = 0;
END;
--> statement-breakpoint
CREATE TRIGGER `service_queue_update` AFTER UPDATE OF `closed_at`, `site_id`, `article_id` ON `service_jobs`
  WHEN (OLD.`closed_at` IS NULL AND OLD.`article_id` IS NOT NULL) IS NOT (NEW.`closed_at` IS NULL AND NEW.`article_id` IS NOT NULL)
    OR (NEW.`closed_at` IS NULL AND NEW.`article_id` IS NOT NULL AND (OLD.`site_id` IS NOT NEW.`site_id` OR OLD.`article_id` IS NOT NEW.`article_id`))
BEGIN
  UPDATE `service_queue_by_article` SET `open` = `open` - 1
    WHERE OLD.`closed_at` IS NULL AND `site_id` = OLD.`site_id` AND `article_id` = OLD.`article_id`;
  DELETE FROM `service_queue_by_article` WHERE `site_id` = OLD.`site_id` AND `article_id` = OLD.`article_id` AND `open` = 0;
  INSERT INTO `service_queue_by_article` (`site_id`, `article_id`, `open`)
    SELECT NEW.`site_id`, NEW.`article_id`, 1 WHERE NEW.`closed_at` IS NULL AND NEW.`article_id` IS NOT NULL
    ON CONFLICT (`site_id`, `article_id`) DO UPDATE SET `open` = `open` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `service_done_insert` AFTER INSERT ON `service_jobs` WHEN NEW.`done_at` IS NOT NULL AND NEW.`state` IN ('ready', 'scrapped')
BEGIN
  INSERT INTO `service_done_by_day` (`site_id`, `day`, `ready`, `scrapped`)
    VALUES (NEW.`site_id`, CAST(NEW.`done_at` / 86400000 AS INTEGER), NEW.`state` = 'ready', NEW.`state` = 'scrapped')
    ON CONFLICT (`site_id`, `day`) DO UPDATE SET `ready` = `ready` + excluded.`ready`, `scrapped` = `scrapped` + excluded.`scrapped`;
END;
--> statement-breakpoint
CREATE TRIGGER `service_done_delete` AFTER DELETE ON `service_jobs` WHEN OLD.`done_at` IS NOT NULL AND OLD.`state` IN ('ready', 'scrapped')
BEGIN
  UPDATE `service_done_by_day` SET `ready` = `ready` - (OLD.`state` = 'ready'), `scrapped` = `scrapped` - (OLD.`state` = 'scrapped')
    WHERE `site_id` = OLD.`site_id` AND `day` = CAST(OLD.`done_at` / 86400000 AS INTEGER);
  DELETE FROM `service_done_by_day` WHERE `site_id` = OLD.`site_id` AND `day` = CAST(OLD.`done_at` / 86400000 AS INTEGER) AND `ready` = 0 AND `scrapped` = 0;
END;
--> statement-breakpoint
CREATE TRIGGER `service_done_update` AFTER UPDATE OF `done_at`, `state`, `site_id` ON `service_jobs`
  WHEN (OLD.`done_at` IS NOT NULL AND OLD.`state` IN ('ready', 'scrapped')) IS NOT (NEW.`done_at` IS NOT NULL AND NEW.`state` IN ('ready', 'scrapped'))
    OR (NEW.`done_at` IS NOT NULL AND NEW.`state` IN ('ready', 'scrapped') AND (OLD.`site_id` IS NOT NEW.`site_id` OR OLD.`state` IS NOT NEW.`state`
      OR CAST(OLD.`done_at` / 86400000 AS INTEGER) IS NOT CAST(NEW.`done_at` / 86400000 AS INTEGER)))
BEGIN
  UPDATE `service_done_by_day` SET `ready` = `ready` - (OLD.`state` = 'ready'), `scrapped` = `scrapped` - (OLD.`state` = 'scrapped')
    WHERE OLD.`done_at` IS NOT NULL AND OLD.`state` IN ('ready', 'scrapped') AND `site_id` = OLD.`site_id` AND `day` = CAST(OLD.`done_at` / 86400000 AS INTEGER);
  DELETE FROM `service_done_by_day` WHERE `site_id` = OLD.`site_id` AND `day` = CAST(OLD.`done_at` / 86400000 AS INTEGER) AND `ready` = 0 AND `scrapped` = 0;
  INSERT INTO `service_done_by_day` (`site_id`, `day`, `ready`, `scrapped`)
    SELECT NEW.`site_id`, CAST(NEW.`done_at` / 86400000 AS INTEGER), NEW.`state` = 'ready', NEW.`state` = 'scrapped'
    WHERE NEW.`done_at` IS NOT NULL AND NEW.`state` IN ('ready', 'scrapped')
    ON CONFLICT (`site_id`, `day`) DO UPDATE SET `ready` = `ready` + excluded.`ready`, `scrapped` = `scrapped` + excluded.`scrapped`;
END;
--> statement-breakpoint
-- Stock on hand and the window's usage are read once per reorder setting by the suggestions: kept
-- in their key's order (WITHOUT ROWID), each is one lookup instead of the key's index and then the row.
CREATE TABLE `__new_stock_by_site` (
	`article_id` text NOT NULL,
	`site_id` text NOT NULL,
	`on_hand` integer NOT NULL,
	PRIMARY KEY(`article_id`, `site_id`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_stock_by_site` (`article_id`, `site_id`, `on_hand`) SELECT `article_id`, `site_id`, `on_hand` FROM `stock_by_site`;
--> statement-breakpoint
DROP TABLE `stock_by_site`;
--> statement-breakpoint
ALTER TABLE `__new_stock_by_site` RENAME TO `stock_by_site`;
--> statement-breakpoint
CREATE TABLE `__new_usage_window` (
	`article_id` text NOT NULL,
	`site_id` text NOT NULL,
	`quantity` integer NOT NULL,
	PRIMARY KEY(`article_id`, `site_id`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_usage_window` (`article_id`, `site_id`, `quantity`) SELECT `article_id`, `site_id`, `quantity` FROM `usage_window`;
--> statement-breakpoint
DROP TABLE `usage_window`;
--> statement-breakpoint
ALTER TABLE `__new_usage_window` RENAME TO `usage_window`;
