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
	CONSTRAINT "individuals_status" CHECK("__new_individuals"."status" in ('in_stock', 'reserved', 'in_transit', 'on_loan', 'returned', 'in_cleaning', 'in_reconditioning', 'quarantine', 'scrapped', 'cancelled'))
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
CREATE INDEX `individuals_status_since` ON `individuals` (`status`,`updated_at`);