CREATE TABLE `delivery_points` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`name` text NOT NULL,
	`address` text NOT NULL,
	`postcode` text NOT NULL,
	`town` text NOT NULL,
	`municipality` text NOT NULL,
	`route` text NOT NULL,
	`weekday` integer NOT NULL,
	`retired_at` integer,
	`changed_by` text,
	`changed_at` integer,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "delivery_points_weekday" CHECK("delivery_points"."weekday" between 1 and 5)
);
--> statement-breakpoint
CREATE INDEX `delivery_points_site` ON `delivery_points` (`site_id`,`name`);--> statement-breakpoint
ALTER TABLE `sites` ADD `address` text;--> statement-breakpoint
ALTER TABLE `sites` ADD `postcode` text;--> statement-breakpoint
ALTER TABLE `sites` ADD `town` text;--> statement-breakpoint
ALTER TABLE `sites` ADD `changed_by` text;--> statement-breakpoint
ALTER TABLE `sites` ADD `changed_at` integer;