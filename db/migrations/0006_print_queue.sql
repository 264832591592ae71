CREATE TABLE `print_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`printer_id` text NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`zpl` text NOT NULL,
	`state` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	`printed_at` integer,
	`reprint_of` text,
	`user_id` text,
	CONSTRAINT "print_jobs_state" CHECK("print_jobs"."state" in ('queued', 'printing', 'waiting', 'printed', 'cancelled'))
);
--> statement-breakpoint
CREATE INDEX `print_jobs_due` ON `print_jobs` (`state`,`next_attempt_at`);