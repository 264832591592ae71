ALTER TABLE `users` ADD `pin_code_hash` text;--> statement-breakpoint
ALTER TABLE `users` ADD `pin_code_expires` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `changed_by` text;--> statement-breakpoint
ALTER TABLE `users` ADD `changed_at` integer;