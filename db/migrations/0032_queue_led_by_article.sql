DROP INDEX `service_jobs_queue`;--> statement-breakpoint
CREATE INDEX `service_jobs_queue_by_article` ON `service_jobs` (`article_id`,`site_id`) WHERE "service_jobs"."closed_at" is null;