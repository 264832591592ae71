PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_users` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`pin_hash` text NOT NULL,
	`badge_code` text,
	`site_id` text,
	`active` integer DEFAULT true NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "users_role" CHECK("__new_users"."role" in ('warehouse_worker', 'depot_staff', 'technician', 'supervisor', 'admin', 'prescriber'))
);
--> statement-breakpoint
INSERT INTO `__new_users`("id", "name", "role", "pin_hash", "badge_code", "site_id", "active") SELECT "id", "name", "role", "pin_hash", "badge_code", "site_id", "active" FROM `users`;--> statement-breakpoint
DROP TABLE `users`;--> statement-breakpoint
ALTER TABLE `__new_users` RENAME TO `users`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `users_badge_code_unique` ON `users` (`badge_code`);