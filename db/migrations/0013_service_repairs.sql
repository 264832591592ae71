CREATE TABLE `hour_readings` (
	`individual_id` text NOT NULL,
	`at` integer NOT NULL,
	`hours` integer NOT NULL,
	`user_id` text NOT NULL,
	PRIMARY KEY(`individual_id`, `at`),
	FOREIGN KEY (`individual_id`) REFERENCES `individuals`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "hour_readings_hours" CHECK("hour_readings"."hours" >= 0)
);
--> statement-breakpoint
CREATE TABLE `inspection_checklists` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`article_id` text,
	`iso_prefix` text,
	`questions` text NOT NULL,
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `work_order_events` (
	`id` text PRIMARY KEY NOT NULL,
	`work_order_id` text NOT NULL,
	`at` integer NOT NULL,
	`station_id` text NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`detail` text,
	FOREIGN KEY (`work_order_id`) REFERENCES `work_orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `work_order_events_order` ON `work_order_events` (`work_order_id`,`at`);--> statement-breakpoint
CREATE TABLE `work_orders` (
	`id` text PRIMARY KEY NOT NULL,
	`number` text NOT NULL,
	`site_id` text NOT NULL,
	`origin` text NOT NULL,
	`individual_id` text,
	`job_id` text,
	`device` text,
	`owner` text,
	`place` text,
	`priority` text NOT NULL,
	`due_at` integer NOT NULL,
	`fault` text NOT NULL,
	`actions` text,
	`minutes` integer DEFAULT 0 NOT NULL,
	`state` text NOT NULL,
	`opened_at` integer NOT NULL,
	`opened_by` text NOT NULL,
	`started_at` integer,
	`taken_by` text,
	`breached_at` integer,
	`closed_at` integer,
	`closed_by` text,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`individual_id`) REFERENCES `individuals`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`job_id`) REFERENCES `service_jobs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`taken_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "work_orders_origin" CHECK("work_orders"."origin" in ('reconditioning', 'on_loan', 'municipality')),
	CONSTRAINT "work_orders_state" CHECK("work_orders"."state" in ('open', 'done', 'cancelled')),
	CONSTRAINT "work_orders_minutes" CHECK("work_orders"."minutes" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `work_orders_number` ON `work_orders` (`number`);--> statement-breakpoint
CREATE INDEX `work_orders_open` ON `work_orders` (`site_id`,`state`);--> statement-breakpoint
CREATE INDEX `work_orders_individual` ON `work_orders` (`individual_id`);--> statement-breakpoint
CREATE INDEX `work_orders_job` ON `work_orders` (`job_id`) WHERE "work_orders"."job_id" is not null;--> statement-breakpoint
DROP INDEX `service_jobs_open`;--> statement-breakpoint
ALTER TABLE `service_jobs` ADD `article_id` text REFERENCES articles(id);--> statement-breakpoint
UPDATE `service_jobs` SET `article_id` = (SELECT `article_id` FROM `individuals` WHERE `individuals`.`id` = `service_jobs`.`individual_id`);--> statement-breakpoint
CREATE INDEX `service_jobs_done` ON `service_jobs` (`site_id`,`done_at`,`state`,`article_id`);--> statement-breakpoint
CREATE INDEX `service_jobs_breached` ON `service_jobs` (`site_id`,`breached_at`) WHERE "service_jobs"."breached_at" is not null;--> statement-breakpoint
CREATE INDEX `service_jobs_board` ON `service_jobs` (`site_id`,`due_at`,`priority`,`arrived_at`,`started_at`,`state`,`breached_at`,`id`) WHERE "service_jobs"."closed_at" is null;--> statement-breakpoint
CREATE INDEX `service_jobs_article` ON `service_jobs` (`article_id`,`done_at`);--> statement-breakpoint
CREATE INDEX `service_jobs_individual` ON `service_jobs` (`individual_id`,`arrived_at`);--> statement-breakpoint
CREATE TRIGGER `work_order_events_append_only_update` BEFORE UPDATE ON `work_order_events`
BEGIN
  SELECT RAISE(ABORT, 'work_order_events is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `work_order_events_append_only_delete` BEFORE DELETE ON `work_order_events`
BEGIN
  SELECT RAISE(ABORT, 'work_order_events is append-only');
END;
