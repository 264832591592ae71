CREATE TABLE `maintenance_plans` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`iso_prefix` text NOT NULL,
	`interval_days` integer,
	`interval_hours` integer
);
--> statement-breakpoint
CREATE TABLE `maintenance_records` (
	`id` text PRIMARY KEY NOT NULL,
	`plan_id` text NOT NULL,
	`individual_id` text NOT NULL,
	`done_at` integer NOT NULL,
	`user_id` text NOT NULL,
	`hours` integer,
	FOREIGN KEY (`plan_id`) REFERENCES `maintenance_plans`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`individual_id`) REFERENCES `individuals`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `maintenance_records_individual` ON `maintenance_records` (`individual_id`,`plan_id`,`done_at`);--> statement-breakpoint
CREATE TABLE `technician_training` (
	`user_id` text NOT NULL,
	`iso_prefix` text NOT NULL,
	PRIMARY KEY(`user_id`, `iso_prefix`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
