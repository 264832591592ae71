-- Sign-in locks lift by themselves: a lock now has an end (locked_until) and a count of locks in
-- a row, so each further lock lasts longer. Locks from before this version (which had no end)
-- end a quarter of an hour after they began. Users without a PIN (prescribers, badge only) are
-- never locked by PIN attempts. An administrator's unlock (sign_in_unlocks) is synced: its
-- outbox entry is written by trigger, in the transaction of the unlock, as 0021's are.
CREATE TABLE `sign_in_unlocks` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`site_id` text NOT NULL,
	`at` integer NOT NULL,
	`by_user_id` text
);
--> statement-breakpoint
CREATE INDEX `sign_in_unlocks_user` ON `sign_in_unlocks` (`user_id`,`at`);--> statement-breakpoint
ALTER TABLE `sign_in_locks` ADD `locks` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sign_in_locks` ADD `locked_until` integer;
--> statement-breakpoint
UPDATE `sign_in_locks` SET `failures` = 0, `locks` = 1, `locked_until` = `locked_at` + 900000 WHERE `locked_at` IS NOT NULL;
--> statement-breakpoint
DELETE FROM `sign_in_locks` WHERE `user_id` IN (SELECT `id` FROM `users` WHERE `role` = 'prescriber' OR `pin_hash` = 'none');
--> statement-breakpoint
CREATE TRIGGER `sign_in_unlocks_sync_insert` AFTER INSERT ON `sign_in_unlocks` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('sign_in_unlock', NEW.`id`, json_object('id', NEW.`id`, 'user_id', NEW.`user_id`, 'site_id', NEW.`site_id`, 'at', NEW.`at`, 'by_user_id', NEW.`by_user_id`)))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
