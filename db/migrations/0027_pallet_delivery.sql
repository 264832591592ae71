-- A customer's pallet is delivered: when and by whom, carried to the register with the pallet.
ALTER TABLE `pallets` ADD `delivered_at` integer;--> statement-breakpoint
ALTER TABLE `pallets` ADD `delivered_by` text;--> statement-breakpoint
DROP TRIGGER `pallets_sync_insert`;
--> statement-breakpoint
CREATE TRIGGER `pallets_sync_insert` AFTER INSERT ON `pallets` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('pallet', NEW.`id`, json((SELECT json_object('id', r.`id`, 'sscc', r.`sscc`, 'site_id', r.`site_id`, 'route', r.`route`, 'delivery_day', r.`delivery_day`, 'delivery_point', r.`delivery_point`, 'municipality', r.`municipality`, 'to_site_id', r.`to_site_id`, 'state', r.`state`, 'created_at', r.`created_at`, 'closed_at', r.`closed_at`, 'received_at', r.`received_at`, 'delivered_at', r.`delivered_at`, 'delivered_by', r.`delivered_by`, 'items', json((SELECT json_group_array(json(x.j)) FROM (SELECT json_object('id', c.`id`, 'article_id', c.`article_id`, 'individual_id', c.`individual_id`, 'lot', c.`lot`, 'quantity', c.`quantity`, 'order_ref', c.`order_ref`, 'added_at', c.`added_at`, 'received_state', c.`received_state`) AS j FROM `pallet_items` c WHERE c.`pallet_id` = r.`id` ORDER BY c.`added_at`, c.`id`) x))) FROM `pallets` r WHERE r.`id` = NEW.`id`))))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
DROP TRIGGER `pallets_sync_update`;
--> statement-breakpoint
CREATE TRIGGER `pallets_sync_update` AFTER UPDATE ON `pallets` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('pallet', NEW.`id`, json((SELECT json_object('id', r.`id`, 'sscc', r.`sscc`, 'site_id', r.`site_id`, 'route', r.`route`, 'delivery_day', r.`delivery_day`, 'delivery_point', r.`delivery_point`, 'municipality', r.`municipality`, 'to_site_id', r.`to_site_id`, 'state', r.`state`, 'created_at', r.`created_at`, 'closed_at', r.`closed_at`, 'received_at', r.`received_at`, 'delivered_at', r.`delivered_at`, 'delivered_by', r.`delivered_by`, 'items', json((SELECT json_group_array(json(x.j)) FROM (SELECT json_object('id', c.`id`, 'article_id', c.`article_id`, 'individual_id', c.`individual_id`, 'lot', c.`lot`, 'quantity', c.`quantity`, 'order_ref', c.`order_ref`, 'added_at', c.`added_at`, 'received_state', c.`received_state`) AS j FROM `pallet_items` c WHERE c.`pallet_id` = r.`id` ORDER BY c.`added_at`, c.`id`) x))) FROM `pallets` r WHERE r.`id` = NEW.`id`))))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
DROP TRIGGER `pallets_sync_delete`;
--> statement-breakpoint
CREATE TRIGGER `pallets_sync_delete` AFTER DELETE ON `pallets` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('pallet', OLD.`id`, json(NULL)))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
DROP TRIGGER `pallet_items_sync_insert`;
--> statement-breakpoint
CREATE TRIGGER `pallet_items_sync_insert` AFTER INSERT ON `pallet_items` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('pallet', NEW.`pallet_id`, json((SELECT json_object('id', r.`id`, 'sscc', r.`sscc`, 'site_id', r.`site_id`, 'route', r.`route`, 'delivery_day', r.`delivery_day`, 'delivery_point', r.`delivery_point`, 'municipality', r.`municipality`, 'to_site_id', r.`to_site_id`, 'state', r.`state`, 'created_at', r.`created_at`, 'closed_at', r.`closed_at`, 'received_at', r.`received_at`, 'delivered_at', r.`delivered_at`, 'delivered_by', r.`delivered_by`, 'items', json((SELECT json_group_array(json(x.j)) FROM (SELECT json_object('id', c.`id`, 'article_id', c.`article_id`, 'individual_id', c.`individual_id`, 'lot', c.`lot`, 'quantity', c.`quantity`, 'order_ref', c.`order_ref`, 'added_at', c.`added_at`, 'received_state', c.`received_state`) AS j FROM `pallet_items` c WHERE c.`pallet_id` = r.`id` ORDER BY c.`added_at`, c.`id`) x))) FROM `pallets` r WHERE r.`id` = NEW.`pallet_id`))))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
DROP TRIGGER `pallet_items_sync_update`;
--> statement-breakpoint
CREATE TRIGGER `pallet_items_sync_update` AFTER UPDATE ON `pallet_items` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('pallet', NEW.`pallet_id`, json((SELECT json_object('id', r.`id`, 'sscc', r.`sscc`, 'site_id', r.`site_id`, 'route', r.`route`, 'delivery_day', r.`delivery_day`, 'delivery_point', r.`delivery_point`, 'municipality', r.`municipality`, 'to_site_id', r.`to_site_id`, 'state', r.`state`, 'created_at', r.`created_at`, 'closed_at', r.`closed_at`, 'received_at', r.`received_at`, 'delivered_at', r.`delivered_at`, 'delivered_by', r.`delivered_by`, 'items', json((SELECT json_group_array(json(x.j)) FROM (SELECT json_object('id', c.`id`, 'article_id', c.`article_id`, 'individual_id', c.`individual_id`, 'lot', c.`lot`, 'quantity', c.`quantity`, 'order_ref', c.`order_ref`, 'added_at', c.`added_at`, 'received_state', c.`received_state`) AS j FROM `pallet_items` c WHERE c.`pallet_id` = r.`id` ORDER BY c.`added_at`, c.`id`) x))) FROM `pallets` r WHERE r.`id` = NEW.`pallet_id`))))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
DROP TRIGGER `pallet_items_sync_delete`;
--> statement-breakpoint
CREATE TRIGGER `pallet_items_sync_delete` AFTER DELETE ON `pallet_items` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('pallet', OLD.`pallet_id`, json((SELECT json_object('id', r.`id`, 'sscc', r.`sscc`, 'site_id', r.`site_id`, 'route', r.`route`, 'delivery_day', r.`delivery_day`, 'delivery_point', r.`delivery_point`, 'municipality', r.`municipality`, 'to_site_id', r.`to_site_id`, 'state', r.`state`, 'created_at', r.`created_at`, 'closed_at', r.`closed_at`, 'received_at', r.`received_at`, 'delivered_at', r.`delivered_at`, 'delivered_by', r.`delivered_by`, 'items', json((SELECT json_group_array(json(x.j)) FROM (SELECT json_object('id', c.`id`, 'article_id', c.`article_id`, 'individual_id', c.`individual_id`, 'lot', c.`lot`, 'quantity', c.`quantity`, 'order_ref', c.`order_ref`, 'added_at', c.`added_at`, 'received_state', c.`received_state`) AS j FROM `pallet_items` c WHERE c.`pallet_id` = r.`id` ORDER BY c.`added_at`, c.`id`) x))) FROM `pallets` r WHERE r.`id` = OLD.`pallet_id`))))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
