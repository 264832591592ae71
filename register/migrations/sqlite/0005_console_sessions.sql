CREATE TABLE `console_locks` (
	`user_id` text PRIMARY KEY NOT NULL,
	`failures` integer NOT NULL,
	`locks` integer NOT NULL,
	`locked_until` integer
);
--> statement-breakpoint
CREATE TABLE `console_sessions` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`started_at` integer NOT NULL,
	`used_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `console_sessions_user` ON `console_sessions` (`user_id`);