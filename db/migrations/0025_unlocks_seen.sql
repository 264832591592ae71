-- A lock remembers the last unlock the station held when it began: only an unlock that arrives
-- after it lifts it, so two stations' clocks need not agree (locks from before: every unlock held counts as seen).
ALTER TABLE `sign_in_locks` ADD `unlocks_seen` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
UPDATE `sign_in_locks` SET `unlocks_seen` = (SELECT coalesce(max(rowid), 0) FROM `sign_in_unlocks`);
