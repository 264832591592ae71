-- The site's reconditioning queue travels through the register: a service job (with every step of
-- it) and a wash batch (with what is in it) go out by trigger in the transaction of the change, as
-- the other synced tables do, so every station of the site works the same queue. A step is written
-- with the job's own change (db/service/jobs.ts), so the job goes out with the step that moved it.
CREATE TRIGGER `service_jobs_sync_insert` AFTER INSERT ON `service_jobs` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('service_job', NEW.`id`, json((SELECT json_object('id', r.`id`, 'individual_id', r.`individual_id`, 'article_id', r.`article_id`, 'site_id', r.`site_id`, 'state', r.`state`, 'priority', r.`priority`, 'arrived_at', r.`arrived_at`, 'due_at', r.`due_at`, 'started_at', r.`started_at`, 'done_at', r.`done_at`, 'taken_by', r.`taken_by`, 'breached_at', r.`breached_at`, 'closed_at', r.`closed_at`, 'events', json((SELECT json_group_array(json(x.j)) FROM (SELECT json_object('id', c.`id`, 'at', c.`at`, 'station_id', c.`station_id`, 'user_id', c.`user_id`, 'action', c.`action`, 'from_state', c.`from_state`, 'to_state', c.`to_state`, 'detail', c.`detail`) AS j FROM `service_events` c WHERE c.`job_id` = r.`id` ORDER BY c.`at`, c.`id`) x))) FROM `service_jobs` r WHERE r.`id` = NEW.`id`))))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `service_jobs_sync_update` AFTER UPDATE ON `service_jobs` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('service_job', NEW.`id`, json((SELECT json_object('id', r.`id`, 'individual_id', r.`individual_id`, 'article_id', r.`article_id`, 'site_id', r.`site_id`, 'state', r.`state`, 'priority', r.`priority`, 'arrived_at', r.`arrived_at`, 'due_at', r.`due_at`, 'started_at', r.`started_at`, 'done_at', r.`done_at`, 'taken_by', r.`taken_by`, 'breached_at', r.`breached_at`, 'closed_at', r.`closed_at`, 'events', json((SELECT json_group_array(json(x.j)) FROM (SELECT json_object('id', c.`id`, 'at', c.`at`, 'station_id', c.`station_id`, 'user_id', c.`user_id`, 'action', c.`action`, 'from_state', c.`from_state`, 'to_state', c.`to_state`, 'detail', c.`detail`) AS j FROM `service_events` c WHERE c.`job_id` = r.`id` ORDER BY c.`at`, c.`id`) x))) FROM `service_jobs` r WHERE r.`id` = NEW.`id`))))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `service_jobs_sync_delete` AFTER DELETE ON `service_jobs` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('service_job', OLD.`id`, json(NULL)))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `wash_batches_sync_insert` AFTER INSERT ON `wash_batches` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('wash_batch', NEW.`id`, json((SELECT json_object('id', r.`id`, 'site_id', r.`site_id`, 'cabinet', r.`cabinet`, 'method', r.`method`, 'opened_at', r.`opened_at`, 'opened_by', r.`opened_by`, 'closed_at', r.`closed_at`, 'items', json((SELECT json_group_array(json(x.j)) FROM (SELECT json_object('individual_id', c.`individual_id`, 'added_at', c.`added_at`) AS j FROM `wash_batch_items` c WHERE c.`batch_id` = r.`id` ORDER BY c.`added_at`, c.`individual_id`) x))) FROM `wash_batches` r WHERE r.`id` = NEW.`id`))))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `wash_batches_sync_update` AFTER UPDATE ON `wash_batches` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('wash_batch', NEW.`id`, json((SELECT json_object('id', r.`id`, 'site_id', r.`site_id`, 'cabinet', r.`cabinet`, 'method', r.`method`, 'opened_at', r.`opened_at`, 'opened_by', r.`opened_by`, 'closed_at', r.`closed_at`, 'items', json((SELECT json_group_array(json(x.j)) FROM (SELECT json_object('individual_id', c.`individual_id`, 'added_at', c.`added_at`) AS j FROM `wash_batch_items` c WHERE c.`batch_id` = r.`id` ORDER BY c.`added_at`, c.`individual_id`) x))) FROM `wash_batches` r WHERE r.`id` = NEW.`id`))))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `wash_batches_sync_delete` AFTER DELETE ON `wash_batches` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('wash_batch', OLD.`id`, json(NULL)))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `wash_batch_items_sync_insert` AFTER INSERT ON `wash_batch_items` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('wash_batch', NEW.`batch_id`, json((SELECT json_object('id', r.`id`, 'site_id', r.`site_id`, 'cabinet', r.`cabinet`, 'method', r.`method`, 'opened_at', r.`opened_at`, 'opened_by', r.`opened_by`, 'closed_at', r.`closed_at`, 'items', json((SELECT json_group_array(json(x.j)) FROM (SELECT json_object('individual_id', c.`individual_id`, 'added_at', c.`added_at`) AS j FROM `wash_batch_items` c WHERE c.`batch_id` = r.`id` ORDER BY c.`added_at`, c.`individual_id`) x))) FROM `wash_batches` r WHERE r.`id` = NEW.`batch_id`))))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `wash_batch_items_sync_update` AFTER UPDATE ON `wash_batch_items` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('wash_batch', NEW.`batch_id`, json((SELECT json_object('id', r.`id`, 'site_id', r.`site_id`, 'cabinet', r.`cabinet`, 'method', r.`method`, 'opened_at', r.`opened_at`, 'opened_by', r.`opened_by`, 'closed_at', r.`closed_at`, 'items', json((SELECT json_group_array(json(x.j)) FROM (SELECT json_object('individual_id', c.`individual_id`, 'added_at', c.`added_at`) AS j FROM `wash_batch_items` c WHERE c.`batch_id` = r.`id` ORDER BY c.`added_at`, c.`individual_id`) x))) FROM `wash_batches` r WHERE r.`id` = NEW.`batch_id`))))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `wash_batch_items_sync_delete` AFTER DELETE ON `wash_batch_items` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('wash_batch', OLD.`batch_id`, json((SELECT json_object('id', r.`id`, 'site_id', r.`site_id`, 'cabinet', r.`cabinet`, 'method', r.`method`, 'opened_at', r.`opened_at`, 'opened_by', r.`opened_by`, 'closed_at', r.`closed_at`, 'items', json((SELECT json_group_array(json(x.j)) FROM (SELECT json_object('individual_id', c.`individual_id`, 'added_at', c.`added_at`) AS j FROM `wash_batch_items` c WHERE c.`batch_id` = r.`id` ORDER BY c.`added_at`, c.`individual_id`) x))) FROM `wash_batches` r WHERE r.`id` = OLD.`batch_id`))))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
