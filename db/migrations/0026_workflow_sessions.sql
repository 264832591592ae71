-- The scanning workflows' sessions, one per user and workflow at this station: where the worker is, the undo
-- stack and the last feedback, so a reload or a restart resumes at the same step. Local, never synced.
CREATE TABLE `workflow_sessions` (
	`user_id` text NOT NULL,
	`workflow` text NOT NULL,
	`session` text NOT NULL,
	`open` integer DEFAULT false NOT NULL,
	`used_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `workflow`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workflow_sessions_open` ON `workflow_sessions` (`user_id`) WHERE "workflow_sessions"."open" = 1;--> statement-breakpoint
CREATE INDEX `workflow_sessions_used` ON `workflow_sessions` (`used_at`);