CREATE TABLE `audit_entries` (
	`station_id` text NOT NULL,
	`seq` integer NOT NULL,
	`id` text NOT NULL,
	`at` integer NOT NULL,
	`recorded_station_id` text NOT NULL,
	`user_id` text,
	`action` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text,
	`detail` text,
	`hash` text,
	`chain_ok` integer NOT NULL,
	`received_at` integer NOT NULL,
	PRIMARY KEY(`station_id`, `seq`)
);
--> statement-breakpoint
CREATE INDEX `audit_entries_at` ON `audit_entries` (`at`);--> statement-breakpoint
CREATE TRIGGER `audit_entries_append_only_update` BEFORE UPDATE ON `audit_entries` BEGIN SELECT RAISE(ABORT, 'audit entries are never changed'); END;
--> statement-breakpoint
CREATE TRIGGER `audit_entries_append_only_delete` BEFORE DELETE ON `audit_entries` BEGIN SELECT RAISE(ABORT, 'audit entries are never removed'); END;
