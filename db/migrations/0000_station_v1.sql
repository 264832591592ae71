CREATE TABLE `article_gtins` (
	`gtin` text PRIMARY KEY NOT NULL,
	`article_id` text NOT NULL,
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `article_gtins_article` ON `article_gtins` (`article_id`);--> statement-breakpoint
CREATE TABLE `articles` (
	`id` text PRIMARY KEY NOT NULL,
	`article_number` text NOT NULL,
	`name` text NOT NULL,
	`search_name` text NOT NULL,
	`iso_code` text NOT NULL,
	`iso_edition` text NOT NULL,
	`rentable` integer NOT NULL,
	`unit` text NOT NULL,
	`supplier` text NOT NULL,
	`purchase_price` integer NOT NULL,
	`tracking` text NOT NULL,
	CONSTRAINT "articles_tracking" CHECK("articles"."tracking" in ('none', 'lot', 'lot_expiry')),
	CONSTRAINT "articles_price" CHECK("articles"."purchase_price" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `articles_article_number_unique` ON `articles` (`article_number`);--> statement-breakpoint
CREATE INDEX `articles_iso` ON `articles` (`iso_code`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`station_id` text NOT NULL,
	`user_id` text,
	`action` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `audit_log_entity` ON `audit_log` (`entity`,`entity_id`);--> statement-breakpoint
CREATE TABLE `balances` (
	`article_id` text NOT NULL,
	`location_id` text NOT NULL,
	`lot` text DEFAULT '' NOT NULL,
	`quantity` integer NOT NULL,
	PRIMARY KEY(`article_id`, `location_id`, `lot`),
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `balances_location` ON `balances` (`location_id`);--> statement-breakpoint
CREATE TABLE `individuals` (
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
	CONSTRAINT "individuals_status" CHECK("individuals"."status" in ('in_stock', 'reserved', 'in_transit', 'on_loan', 'returned', 'in_cleaning', 'in_reconditioning', 'quarantine', 'scrapped'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `individuals_individual_number_unique` ON `individuals` (`individual_number`);--> statement-breakpoint
CREATE INDEX `individuals_article` ON `individuals` (`article_id`);--> statement-breakpoint
CREATE INDEX `individuals_location` ON `individuals` (`location_id`);--> statement-breakpoint
CREATE INDEX `individuals_serial` ON `individuals` (`serial_number`);--> statement-breakpoint
CREATE INDEX `individuals_status_since` ON `individuals` (`status`,`updated_at`);--> statement-breakpoint
CREATE TABLE `iso_codes` (
	`code` text NOT NULL,
	`edition` text NOT NULL,
	`title` text NOT NULL,
	`group_code` text,
	PRIMARY KEY(`code`, `edition`)
);
--> statement-breakpoint
CREATE TABLE `locations` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`parent_id` text,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`level` text NOT NULL,
	`kind` text NOT NULL,
	`retired_at` integer,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`parent_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "locations_level" CHECK("locations"."level" in ('zone', 'aisle', 'shelf', 'bin')),
	CONSTRAINT "locations_kind" CHECK("locations"."kind" in ('goods_in', 'rack', 'shelf', 'floor', 'dispatch', 'returns', 'quarantine', 'cleaning', 'workshop', 'spare_parts'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `locations_code_unique` ON `locations` (`code`);--> statement-breakpoint
CREATE INDEX `locations_site` ON `locations` (`site_id`);--> statement-breakpoint
CREATE INDEX `locations_parent` ON `locations` (`parent_id`);--> statement-breakpoint
CREATE TABLE `movements` (
	`id` text PRIMARY KEY NOT NULL,
	`station_id` text NOT NULL,
	`seq` integer NOT NULL,
	`user_id` text NOT NULL,
	`occurred_at` integer NOT NULL,
	`recorded_at` integer NOT NULL,
	`article_id` text NOT NULL,
	`individual_id` text,
	`lot` text,
	`from_location_id` text,
	`to_location_id` text,
	`quantity` integer NOT NULL,
	`reason` text NOT NULL,
	`order_ref` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`individual_id`) REFERENCES `individuals`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`from_location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`to_location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "movements_quantity" CHECK("movements"."quantity" > 0),
	CONSTRAINT "movements_locations" CHECK(("movements"."from_location_id" is not null or "movements"."to_location_id" is not null) and "movements"."from_location_id" is not "movements"."to_location_id"),
	CONSTRAINT "movements_individual_one" CHECK("movements"."individual_id" is null or "movements"."quantity" = 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `movements_station_seq` ON `movements` (`station_id`,`seq`);--> statement-breakpoint
CREATE INDEX `movements_individual` ON `movements` (`individual_id`,`occurred_at`) WHERE "movements"."individual_id" is not null;--> statement-breakpoint
CREATE INDEX `movements_article` ON `movements` (`article_id`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `movements_occurred` ON `movements` (`occurred_at`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`payload` text NOT NULL,
	`created_at` integer NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE TABLE `sites` (
	`id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`municipality` text NOT NULL,
	CONSTRAINT "sites_kind" CHECK("sites"."kind" in ('central_store', 'staffed_depot', 'unmanned_depot'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sites_code_unique` ON `sites` (`code`);--> statement-breakpoint
CREATE TABLE `station` (
	`singleton` integer PRIMARY KEY DEFAULT 1 NOT NULL,
	`id` text NOT NULL,
	`name` text NOT NULL,
	`site_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "station_singleton" CHECK("station"."singleton" = 1)
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`pin_hash` text NOT NULL,
	`badge_code` text,
	`site_id` text,
	`active` integer DEFAULT true NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "users_role" CHECK("users"."role" in ('warehouse_worker', 'depot_staff', 'technician', 'supervisor', 'admin'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_badge_code_unique` ON `users` (`badge_code`);--> statement-breakpoint
-- The ledger and the audit log are append-only.
CREATE TRIGGER `movements_append_only_update` BEFORE UPDATE ON `movements`
BEGIN SELECT RAISE(ABORT, 'movements are append-only: post a correcting movement instead'); END;
--> statement-breakpoint
CREATE TRIGGER `movements_append_only_delete` BEFORE DELETE ON `movements`
BEGIN SELECT RAISE(ABORT, 'movements are append-only: post a correcting movement instead'); END;
--> statement-breakpoint
CREATE TRIGGER `audit_log_append_only_update` BEFORE UPDATE ON `audit_log`
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `audit_log_append_only_delete` BEFORE DELETE ON `audit_log`
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
--> statement-breakpoint
-- Balances follow the ledger in the same statement, so no code path can post one without the other.
CREATE TRIGGER `movements_balance` AFTER INSERT ON `movements`
BEGIN
  INSERT INTO `balances` (`article_id`, `location_id`, `lot`, `quantity`)
    SELECT NEW.`article_id`, NEW.`from_location_id`, coalesce(NEW.`lot`, ''), -NEW.`quantity`
    WHERE NEW.`from_location_id` IS NOT NULL
    ON CONFLICT (`article_id`, `location_id`, `lot`) DO UPDATE SET `quantity` = `quantity` + excluded.`quantity`;
  INSERT INTO `balances` (`article_id`, `location_id`, `lot`, `quantity`)
    SELECT NEW.`article_id`, NEW.`to_location_id`, coalesce(NEW.`lot`, ''), NEW.`quantity`
    WHERE NEW.`to_location_id` IS NOT NULL
    ON CONFLICT (`article_id`, `location_id`, `lot`) DO UPDATE SET `quantity` = `quantity` + excluded.`quantity`;
END;
