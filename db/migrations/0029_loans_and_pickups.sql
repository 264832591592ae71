CREATE TABLE `pickup_orders` (
	`id` text PRIMARY KEY NOT NULL,
	`number` text NOT NULL,
	`site_id` text NOT NULL,
	`individual_id` text NOT NULL,
	`order_ref` text,
	`customer_ref` text,
	`pickup_point` text NOT NULL,
	`municipality` text NOT NULL,
	`route` text NOT NULL,
	`collection_day` text NOT NULL,
	`placed_at` integer NOT NULL,
	`placed_by` text NOT NULL,
	`state` text NOT NULL,
	`label_printed_at` integer,
	`closed_at` integer,
	`closed_by` text,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "pickup_orders_state" CHECK("pickup_orders"."state" in ('ordered', 'collected', 'cancelled'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pickup_orders_number_unique` ON `pickup_orders` (`number`);--> statement-breakpoint
CREATE INDEX `pickup_orders_route_day` ON `pickup_orders` (`site_id`,`collection_day`,`route`);--> statement-breakpoint
CREATE UNIQUE INDEX `pickup_orders_one_open` ON `pickup_orders` (`individual_id`) WHERE "pickup_orders"."state" = 'ordered';--> statement-breakpoint
ALTER TABLE `individuals` ADD `loan_order_ref` text;--> statement-breakpoint
ALTER TABLE `individuals` ADD `loan_since` integer;--> statement-breakpoint
CREATE INDEX `individuals_loan_order` ON `individuals` (`loan_order_ref`) WHERE "individuals"."loan_order_ref" is not null;--> statement-breakpoint
-- Every device on loan keeps its loan (the order it went out on, the day it went), whatever its age.
UPDATE `individuals` SET (`loan_order_ref`, `loan_since`) = (
  SELECT m.`order_ref`, m.`occurred_at` FROM `movements` m
  WHERE m.`individual_id` = `individuals`.`id` AND m.`to_location_id` IS NULL AND m.`reason` NOT IN ('scrap', 'count_adjustment', 'transfer', 'dispatch', 'correction')
    AND NOT EXISTS (SELECT 1 FROM `movements` c WHERE c.`individual_id` = m.`individual_id` AND c.`reverses` = m.`id`)
  ORDER BY m.`recorded_at` DESC, m.`seq` DESC LIMIT 1)
WHERE `status` = 'on_loan';
--> statement-breakpoint
-- Pick-up orders travel through the register like the site's other orders.
CREATE TRIGGER `pickup_orders_sync_insert` AFTER INSERT ON `pickup_orders` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('pickup_order', NEW.`id`, json((SELECT json_object('id', r.`id`, 'number', r.`number`, 'site_id', r.`site_id`, 'individual_id', r.`individual_id`, 'order_ref', r.`order_ref`, 'customer_ref', r.`customer_ref`, 'pickup_point', r.`pickup_point`, 'municipality', r.`municipality`, 'route', r.`route`, 'collection_day', r.`collection_day`, 'placed_at', r.`placed_at`, 'placed_by', r.`placed_by`, 'state', r.`state`, 'label_printed_at', r.`label_printed_at`, 'closed_at', r.`closed_at`, 'closed_by', r.`closed_by`) FROM `pickup_orders` r WHERE r.`id` = NEW.`id`))))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `pickup_orders_sync_update` AFTER UPDATE ON `pickup_orders` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('pickup_order', NEW.`id`, json((SELECT json_object('id', r.`id`, 'number', r.`number`, 'site_id', r.`site_id`, 'individual_id', r.`individual_id`, 'order_ref', r.`order_ref`, 'customer_ref', r.`customer_ref`, 'pickup_point', r.`pickup_point`, 'municipality', r.`municipality`, 'route', r.`route`, 'collection_day', r.`collection_day`, 'placed_at', r.`placed_at`, 'placed_by', r.`placed_by`, 'state', r.`state`, 'label_printed_at', r.`label_printed_at`, 'closed_at', r.`closed_at`, 'closed_by', r.`closed_by`) FROM `pickup_orders` r WHERE r.`id` = NEW.`id`))))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `pickup_orders_sync_delete` AFTER DELETE ON `pickup_orders` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('pickup_order', OLD.`id`, json(NULL)))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
