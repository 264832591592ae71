CREATE TABLE `service_events` (
	`id` text PRIMARY KEY NOT NULL,
	`job_id` text NOT NULL,
	`at` integer NOT NULL,
	`station_id` text NOT NULL,
	`user_id` text NOT NULL,
	`action` text NOT NULL,
	`from_state` text NOT NULL,
	`to_state` text NOT NULL,
	`detail` text,
	FOREIGN KEY (`job_id`) REFERENCES `service_jobs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `service_events_job` ON `service_events` (`job_id`,`at`);--> statement-breakpoint
CREATE TABLE `service_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`individual_id` text NOT NULL,
	`site_id` text NOT NULL,
	`state` text NOT NULL,
	`priority` text NOT NULL,
	`arrived_at` integer NOT NULL,
	`due_at` integer NOT NULL,
	`started_at` integer,
	`done_at` integer,
	`taken_by` text,
	`breached_at` integer,
	`closed_at` integer,
	FOREIGN KEY (`individual_id`) REFERENCES `individuals`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`taken_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "service_jobs_state" CHECK("service_jobs"."state" in ('returned', 'awaiting_cleaning', 'cleaned', 'inspected', 'needs_repair', 'in_repair', 'at_supplier', 'ready', 'scrapped')),
	CONSTRAINT "service_jobs_priority" CHECK("service_jobs"."priority" in ('acute', 'urgent', 'normal'))
);
--> statement-breakpoint
CREATE INDEX `service_jobs_open` ON `service_jobs` (`site_id`,`closed_at`,`due_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `service_jobs_one_open` ON `service_jobs` (`individual_id`) WHERE "service_jobs"."closed_at" is null;--> statement-breakpoint
CREATE TABLE `wash_batch_items` (
	`batch_id` text NOT NULL,
	`individual_id` text NOT NULL,
	`added_at` integer NOT NULL,
	PRIMARY KEY(`batch_id`, `individual_id`),
	FOREIGN KEY (`batch_id`) REFERENCES `wash_batches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`individual_id`) REFERENCES `individuals`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `wash_batches` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`cabinet` text NOT NULL,
	`method` text NOT NULL,
	`opened_at` integer NOT NULL,
	`opened_by` text NOT NULL,
	`closed_at` integer,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TRIGGER `service_events_append_only_update` BEFORE UPDATE ON `service_events`
BEGIN
  SELECT RAISE(ABORT, 'service_events is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `service_events_append_only_delete` BEFORE DELETE ON `service_events`
BEGIN
  SELECT RAISE(ABORT, 'service_events is append-only');
END;
