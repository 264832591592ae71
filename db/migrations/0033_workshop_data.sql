ALTER TABLE `inspection_checklists` ADD `retired_at` integer;--> statement-breakpoint
ALTER TABLE `inspection_checklists` ADD `changed_by` text;--> statement-breakpoint
ALTER TABLE `inspection_checklists` ADD `changed_at` integer;--> statement-breakpoint
ALTER TABLE `maintenance_plans` ADD `retired_at` integer;--> statement-breakpoint
ALTER TABLE `maintenance_plans` ADD `changed_by` text;--> statement-breakpoint
ALTER TABLE `maintenance_plans` ADD `changed_at` integer;