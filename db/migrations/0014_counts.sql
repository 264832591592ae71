CREATE TABLE `count_adjustments` (
	`id` text PRIMARY KEY NOT NULL,
	`count_id` text NOT NULL,
	`location_id` text NOT NULL,
	`article_id` text NOT NULL,
	`lot` text DEFAULT '' NOT NULL,
	`individual_id` text,
	`expected` integer NOT NULL,
	`counted` integer NOT NULL,
	`value` integer NOT NULL,
	`approved` integer NOT NULL,
	`movement_id` text,
	FOREIGN KEY (`count_id`) REFERENCES `counts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`individual_id`) REFERENCES `individuals`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `count_adjustments_count` ON `count_adjustments` (`count_id`);--> statement-breakpoint
CREATE TABLE `count_expected` (
	`count_id` text NOT NULL,
	`location_id` text NOT NULL,
	`round` integer NOT NULL,
	`article_id` text NOT NULL,
	`lot` text DEFAULT '' NOT NULL,
	`individual_id` text,
	`quantity` integer NOT NULL,
	FOREIGN KEY (`count_id`) REFERENCES `counts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`individual_id`) REFERENCES `individuals`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `count_expected_location` ON `count_expected` (`count_id`,`location_id`,`round`);--> statement-breakpoint
CREATE TABLE `count_locations` (
	`count_id` text NOT NULL,
	`location_id` text NOT NULL,
	`assignee` text,
	`state` text DEFAULT 'open' NOT NULL,
	`round` integer DEFAULT 1 NOT NULL,
	`start_mark` integer,
	`end_mark` integer,
	`counted_at` integer,
	`counted_by` text,
	`recount_reason` text,
	`lines` integer,
	PRIMARY KEY(`count_id`, `location_id`),
	FOREIGN KEY (`count_id`) REFERENCES `counts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assignee`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `count_locations_state` ON `count_locations` (`count_id`,`state`);--> statement-breakpoint
CREATE TABLE `count_scans` (
	`id` text PRIMARY KEY NOT NULL,
	`count_id` text NOT NULL,
	`location_id` text NOT NULL,
	`round` integer NOT NULL,
	`article_id` text NOT NULL,
	`lot` text DEFAULT '' NOT NULL,
	`expiry` text,
	`individual_id` text,
	`quantity` integer NOT NULL,
	`at` integer NOT NULL,
	`user_id` text NOT NULL,
	FOREIGN KEY (`count_id`) REFERENCES `counts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`individual_id`) REFERENCES `individuals`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "count_scans_quantity" CHECK("count_scans"."quantity" > 0)
);
--> statement-breakpoint
CREATE INDEX `count_scans_location` ON `count_scans` (`count_id`,`location_id`,`round`);--> statement-breakpoint
CREATE UNIQUE INDEX `count_scans_individual` ON `count_scans` (`count_id`,`round`,`individual_id`) WHERE "count_scans"."individual_id" is not null;--> statement-breakpoint
CREATE TABLE `count_variances` (
	`count_id` text NOT NULL,
	`location_id` text NOT NULL,
	`round` integer NOT NULL,
	`article_id` text NOT NULL,
	`lot` text DEFAULT '' NOT NULL,
	`individual_id` text,
	`expected` integer NOT NULL,
	`counted` integer NOT NULL,
	FOREIGN KEY (`count_id`) REFERENCES `counts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`individual_id`) REFERENCES `individuals`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `count_variances_location` ON `count_variances` (`count_id`,`location_id`,`round`);--> statement-breakpoint
CREATE TABLE `counts` (
	`id` text PRIMARY KEY NOT NULL,
	`number` text NOT NULL,
	`site_id` text NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`blind` integer DEFAULT true NOT NULL,
	`threshold_quantity` integer DEFAULT 0 NOT NULL,
	`threshold_value` integer DEFAULT 0 NOT NULL,
	`state` text NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`approved_at` integer,
	`approved_by` text,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "counts_state" CHECK("counts"."state" in ('counting', 'approved', 'cancelled'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `counts_number` ON `counts` (`number`);--> statement-breakpoint
CREATE INDEX `counts_site` ON `counts` (`site_id`,`created_at`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_individuals` (
	`id` text PRIMARY KEY NOT NULL,
	`individual_number` text NOT NULL,
	`article_id` text NOT NULL,
	`serial_number` text,
	`udi` text,
	`status` text NOT NULL,
	`site_id` text,
	`location_id` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "individuals_status" CHECK("__new_individuals"."status" in ('in_stock', 'reserved', 'in_transit', 'on_loan', 'returned', 'in_cleaning', 'in_reconditioning', 'quarantine', 'scrapped', 'missing', 'cancelled'))
);
--> statement-breakpoint
INSERT INTO `__new_individuals`("id", "individual_number", "article_id", "serial_number", "udi", "status", "site_id", "location_id", "updated_at") SELECT "id", "individual_number", "article_id", "serial_number", "udi", "status", "site_id", "location_id", "updated_at" FROM `individuals`;--> statement-breakpoint
DROP TABLE `individuals`;--> statement-breakpoint
ALTER TABLE `__new_individuals` RENAME TO `individuals`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `individuals_individual_number_unique` ON `individuals` (`individual_number`);--> statement-breakpoint
CREATE INDEX `individuals_article` ON `individuals` (`article_id`);--> statement-breakpoint
CREATE INDEX `individuals_location` ON `individuals` (`location_id`);--> statement-breakpoint
CREATE INDEX `individuals_serial` ON `individuals` (`serial_number`);--> statement-breakpoint
CREATE INDEX `individuals_udi` ON `individuals` (`udi`) WHERE "individuals"."udi" is not null;--> statement-breakpoint
CREATE INDEX `individuals_status_since` ON `individuals` (`status`,`updated_at`);--> statement-breakpoint
CREATE TRIGGER `counts_approved_final` BEFORE UPDATE ON `counts` WHEN OLD.`state` = 'approved'
BEGIN
  SELECT RAISE(ABORT, 'an approved count cannot be changed');
END;
--> statement-breakpoint
CREATE TRIGGER `count_locations_approved_final` BEFORE UPDATE ON `count_locations`
WHEN (SELECT `state` FROM `counts` WHERE `id` = OLD.`count_id`) = 'approved'
BEGIN
  SELECT RAISE(ABORT, 'an approved count cannot be changed');
END;
--> statement-breakpoint
CREATE TRIGGER `count_scans_approved_insert` BEFORE INSERT ON `count_scans`
WHEN (SELECT `state` FROM `counts` WHERE `id` = NEW.`count_id`) <> 'counting'
BEGIN
  SELECT RAISE(ABORT, 'the count is closed');
END;
--> statement-breakpoint
CREATE TRIGGER `count_scans_approved_delete` BEFORE DELETE ON `count_scans`
WHEN (SELECT `state` FROM `counts` WHERE `id` = OLD.`count_id`) <> 'counting'
BEGIN
  SELECT RAISE(ABORT, 'the count is closed');
END;
--> statement-breakpoint
CREATE TRIGGER `count_adjustments_append_only_update` BEFORE UPDATE ON `count_adjustments`
BEGIN
  SELECT RAISE(ABORT, 'count_adjustments is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `count_adjustments_append_only_delete` BEFORE DELETE ON `count_adjustments`
BEGIN
  SELECT RAISE(ABORT, 'count_adjustments is append-only');
END;
