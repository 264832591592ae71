CREATE TABLE `balances` (
	`article_id` text NOT NULL,
	`location_id` text NOT NULL,
	`lot` text NOT NULL,
	`quantity` integer NOT NULL,
	PRIMARY KEY(`article_id`, `location_id`, `lot`)
);
--> statement-breakpoint
CREATE TABLE `counters` (
	`name` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `enrolment_codes` (
	`code_hash` text PRIMARY KEY NOT NULL,
	`station_name` text NOT NULL,
	`site_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`station_id` text
);
--> statement-breakpoint
CREATE TABLE `entities` (
	`kind` text NOT NULL,
	`id` text NOT NULL,
	`data` text NOT NULL,
	`rev` integer NOT NULL,
	`deleted` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`kind`, `id`)
);
--> statement-breakpoint
CREATE INDEX `entities_rev` ON `entities` (`rev`);--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
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
	`rev` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `movements_station_seq` ON `movements` (`station_id`,`seq`);--> statement-breakpoint
CREATE INDEX `movements_rev` ON `movements` (`rev`);--> statement-breakpoint
CREATE INDEX `movements_individual` ON `movements` (`individual_id`);--> statement-breakpoint
CREATE TABLE `stations` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`site_id` text NOT NULL,
	`token_hash` text,
	`enrolled_at` integer NOT NULL,
	`revoked_at` integer,
	`last_applied` integer DEFAULT 0 NOT NULL,
	`last_seen_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `stations_token_hash_unique` ON `stations` (`token_hash`);