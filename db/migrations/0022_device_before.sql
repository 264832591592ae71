CREATE TABLE `device_before` (
	`movement_id` text PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`ready_since` integer
);
