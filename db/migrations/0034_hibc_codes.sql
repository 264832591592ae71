CREATE TABLE `article_hibc` (
	`code` text PRIMARY KEY NOT NULL,
	`article_id` text NOT NULL,
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `article_hibc_article` ON `article_hibc` (`article_id`);