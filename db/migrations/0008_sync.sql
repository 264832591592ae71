CREATE TABLE `sync_issues` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`data` text NOT NULL,
	`at` integer NOT NULL,
	`resolved_at` integer,
	`resolved_by` text
);
--> statement-breakpoint
CREATE INDEX `sync_issues_open` ON `sync_issues` (`resolved_at`,`at`);--> statement-breakpoint
CREATE TABLE `sync_state` (
	`singleton` integer PRIMARY KEY DEFAULT 1 NOT NULL,
	`register_url` text NOT NULL,
	`token` text NOT NULL,
	`epoch` text,
	`cursor` integer DEFAULT 0 NOT NULL,
	`acked` integer DEFAULT 0 NOT NULL,
	`last_success_at` integer,
	`last_attempt_at` integer,
	`last_error` text,
	CONSTRAINT "sync_state_singleton" CHECK("sync_state"."singleton" = 1)
);
