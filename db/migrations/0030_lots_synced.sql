CREATE INDEX `lots_expiry` ON `lots` (`expires_on`) WHERE "lots"."expires_on" is not null;--> statement-breakpoint
-- A lot and its expiry date, read from a GS1 code at goods receipt, reach every station through the register.
CREATE TRIGGER `lots_sync_insert` AFTER INSERT ON `lots` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('lot', NEW.`article_id` || '|' || NEW.`lot`, json_object('id', NEW.`article_id` || '|' || NEW.`lot`, 'article_id', NEW.`article_id`, 'lot', NEW.`lot`, 'expires_on', NEW.`expires_on`)))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `lots_sync_update` AFTER UPDATE ON `lots` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('lot', NEW.`article_id` || '|' || NEW.`lot`, json_object('id', NEW.`article_id` || '|' || NEW.`lot`, 'article_id', NEW.`article_id`, 'lot', NEW.`lot`, 'expires_on', NEW.`expires_on`)))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `lots_sync_delete` AFTER DELETE ON `lots` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('lot', OLD.`article_id` || '|' || OLD.`lot`, json(NULL)))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
