ALTER TABLE `sync_state` ADD `audit_acked` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sync_state` ADD `audit_broken_at` integer;