CREATE TABLE `aggregates_state` (
	`singleton` integer PRIMARY KEY DEFAULT 1 NOT NULL,
	`watermark` integer NOT NULL,
	`built` integer NOT NULL,
	`window_days` integer DEFAULT 90 NOT NULL,
	`window_before` integer DEFAULT 0 NOT NULL,
	CONSTRAINT "aggregates_state_singleton" CHECK("aggregates_state"."singleton" = 1)
);
--> statement-breakpoint
CREATE TABLE `reorder_settings` (
	`article_id` text NOT NULL,
	`site_id` text NOT NULL,
	`stock_article` integer NOT NULL,
	`reorder_point` integer NOT NULL,
	`safety_stock` integer NOT NULL,
	`max_stock` integer NOT NULL,
	`lead_days` integer NOT NULL,
	`order_quantity` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`article_id`, `site_id`),
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "reorder_settings_numbers" CHECK("reorder_settings"."reorder_point" >= 0 and "reorder_settings"."safety_stock" >= 0 and "reorder_settings"."max_stock" >= 0 and "reorder_settings"."lead_days" >= 0 and "reorder_settings"."order_quantity" >= 0)
);
--> statement-breakpoint
CREATE INDEX `reorder_settings_site` ON `reorder_settings` (`site_id`);--> statement-breakpoint
CREATE TABLE `stock_by_site` (
	`article_id` text NOT NULL,
	`site_id` text NOT NULL,
	`on_hand` integer NOT NULL,
	PRIMARY KEY(`article_id`, `site_id`)
);
--> statement-breakpoint
CREATE TABLE `usage_by_day` (
	`article_id` text NOT NULL,
	`site_id` text NOT NULL,
	`day` integer NOT NULL,
	`quantity` integer NOT NULL,
	PRIMARY KEY(`article_id`, `site_id`, `day`)
);
--> statement-breakpoint
CREATE TABLE `usage_window` (
	`article_id` text NOT NULL,
	`site_id` text NOT NULL,
	`quantity` integer NOT NULL,
	PRIMARY KEY(`article_id`, `site_id`)
);
--> statement-breakpoint
ALTER TABLE `customer_orders` ADD `to_site_id` text REFERENCES sites(id);--> statement-breakpoint
CREATE INDEX `customer_orders_to_site` ON `customer_orders` (`to_site_id`) WHERE "customer_orders"."to_site_id" is not null;--> statement-breakpoint
ALTER TABLE `locations` ADD `capacity` integer;--> statement-breakpoint
ALTER TABLE `sites` ADD `route` text;--> statement-breakpoint
ALTER TABLE `sites` ADD `delivery_weekday` integer;--> statement-breakpoint
INSERT INTO `aggregates_state` (`singleton`, `watermark`, `built`) VALUES (1, 0, 0);
--> statement-breakpoint
CREATE TRIGGER `locations_invalidate_aggregates` AFTER UPDATE OF `kind`, `site_id`, `retired_at` ON `locations`
BEGIN
  UPDATE `aggregates_state` SET `built` = 0;
END;
