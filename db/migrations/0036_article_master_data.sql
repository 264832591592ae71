ALTER TABLE `articles` ADD `equivalence_group` text;--> statement-breakpoint
ALTER TABLE `articles` ADD `changed_by` text;--> statement-breakpoint
ALTER TABLE `articles` ADD `changed_at` integer;--> statement-breakpoint
CREATE INDEX `articles_equivalence` ON `articles` (`equivalence_group`) WHERE "articles"."equivalence_group" is not null;