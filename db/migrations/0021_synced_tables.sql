-- Every change to a table the register keeps from stations (locations, reorder settings, pallets
-- and their items, purchase and customer orders and their lines, work orders) writes its outbox
-- entry by trigger, in the transaction of the change, with the entity as it now stands: no write
-- path can forget it. Changes that came from elsewhere are written with sync_applying set.
CREATE TABLE `sync_applying` (
	`singleton` integer PRIMARY KEY DEFAULT 1 NOT NULL,
	CONSTRAINT "sync_applying_singleton" CHECK("sync_applying"."singleton" = 1)
);
--> statement-breakpoint
CREATE TRIGGER `locations_sync_insert` AFTER INSERT ON `locations` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('location', NEW.`id`, json((SELECT json_object('id', r.`id`, 'site_id', r.`site_id`, 'parent_id', r.`parent_id`, 'code', r.`code`, 'name', r.`name`, 'level', r.`level`, 'kind', r.`kind`, 'retired_at', r.`retired_at`, 'capacity', r.`capacity`) FROM `locations` r WHERE r.`id` = NEW.`id`))))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `locations_sync_update` AFTER UPDATE ON `locations` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('location', NEW.`id`, json((SELECT json_object('id', r.`id`, 'site_id', r.`site_id`, 'parent_id', r.`parent_id`, 'code', r.`code`, 'name', r.`name`, 'level', r.`level`, 'kind', r.`kind`, 'retired_at', r.`retired_at`, 'capacity', r.`capacity`) FROM `locations` r WHERE r.`id` = NEW.`id`))))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `locations_sync_delete` AFTER DELETE ON `locations` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('location', OLD.`id`, json(NULL)))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `work_orders_sync_insert` AFTER INSERT ON `work_orders` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('work_order', NEW.`id`, json((SELECT json_object('id', r.`id`, 'number', r.`number`, 'site_id', r.`site_id`, 'origin', r.`origin`, 'individual_id', r.`individual_id`, 'job_id', r.`job_id`, 'device', r.`device`, 'owner', r.`owner`, 'place', r.`place`, 'priority', r.`priority`, 'due_at', r.`due_at`, 'fault', r.`fault`, 'actions', r.`actions`, 'minutes', r.`minutes`, 'state', r.`state`, 'opened_at', r.`opened_at`, 'opened_by', r.`opened_by`, 'started_at', r.`started_at`, 'taken_by', r.`taken_by`, 'breached_at', r.`breached_at`, 'closed_at', r.`closed_at`, 'closed_by', r.`closed_by`) FROM `work_orders` r WHERE r.`id` = NEW.`id`))))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `work_orders_sync_update` AFTER UPDATE ON `work_orders` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('work_order', NEW.`id`, json((SELECT json_object('id', r.`id`, 'number', r.`number`, 'site_id', r.`site_id`, 'origin', r.`origin`, 'individual_id', r.`individual_id`, 'job_id', r.`job_id`, 'device', r.`device`, 'owner', r.`owner`, 'place', r.`place`, 'priority', r.`priority`, 'due_at', r.`due_at`, 'fault', r.`fault`, 'actions', r.`actions`, 'minutes', r.`minutes`, 'state', r.`state`, 'opened_at', r.`opened_at`, 'opened_by', r.`opened_by`, 'started_at', r.`started_at`, 'taken_by', r.`taken_by`, 'breached_at', r.`breached_at`, 'closed_at', r.`closed_at`, 'closed_by', r.`closed_by`) FROM `work_orders` r WHERE r.`id` = NEW.`id`))))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `work_orders_sync_delete` AFTER DELETE ON `work_orders` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('work_order', OLD.`id`, json(NULL)))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `pallets_sync_insert` AFTER INSERT ON `pallets` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('pallet', NEW.`id`, json((SELECT json_object('id', r.`id`, 'sscc', r.`sscc`, 'site_id', r.`site_id`, 'route', r.`route`, 'delivery_day', r.`delivery_day`, 'delivery_point', r.`delivery_point`, 'municipality', r.`municipality`, 'to_site_id', r.`to_site_id`, 'state', r.`state`, 'created_at', r.`created_at`, 'closed_at', r.`closed_at`, 'received_at', r.`received_at`, 'items', json((SELECT json_group_array(json(x.j)) FROM (SELECT json_object('id', c.`id`, 'article_id', c.`article_id`, 'individual_id', c.`individual_id`, 'lot', c.`lot`, 'quantity', c.`quantity`, 'order_ref', c.`order_ref`, 'added_at', c.`added_at`, 'received_state', c.`received_state`) AS j FROM `pallet_items` c WHERE c.`pallet_id` = r.`id` ORDER BY c.`added_at`, c.`id`) x))) FROM `pallets` r WHERE r.`id` = NEW.`id`))))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `pallets_sync_update` AFTER UPDATE ON `pallets` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('pallet', NEW.`id`, json((SELECT json_object('id', r.`id`, 'sscc', r.`sscc`, 'site_id', r.`site_id`, 'route', r.`route`, 'delivery_day', r.`delivery_day`, 'delivery_point', r.`delivery_point`, 'municipality', r.`municipality`, 'to_site_id', r.`to_site_id`, 'state', r.`state`, 'created_at', r.`created_at`, 'closed_at', r.`closed_at`, 'received_at', r.`received_at`, 'items', json((SELECT json_group_array(json(x.j)) FROM (SELECT json_object('id', c.`id`, 'article_id', c.`article_id`, 'individual_id', c.`individual_id`, 'lot', c.`lot`, 'quantity', c.`quantity`, 'order_ref', c.`order_ref`, 'added_at', c.`added_at`, 'received_state', c.`received_state`) AS j FROM `pallet_items` c WHERE c.`pallet_id` = r.`id` ORDER BY c.`added_at`, c.`id`) x))) FROM `pallets` r WHERE r.`id` = NEW.`id`))))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `pallets_sync_delete` AFTER DELETE ON `pallets` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('pallet', OLD.`id`, json(NULL)))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `purchase_orders_sync_insert` AFTER INSERT ON `purchase_orders` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('purchase_order', NEW.`id`, json((SELECT json_object('id', r.`id`, 'po_number', r.`po_number`, 'supplier', r.`supplier`, 'site_id', r.`site_id`, 'expected_on', r.`expected_on`, 'created_at', r.`created_at`, 'lines', json((SELECT json_group_array(json(x.j)) FROM (SELECT json_object('id', c.`id`, 'line_no', c.`line_no`, 'article_id', c.`article_id`, 'quantity', c.`quantity`) AS j FROM `purchase_order_lines` c WHERE c.`purchase_order_id` = r.`id` ORDER BY c.`line_no`) x))) FROM `purchase_orders` r WHERE r.`id` = NEW.`id`))))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `purchase_orders_sync_update` AFTER UPDATE ON `purchase_orders` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('purchase_order', NEW.`id`, json((SELECT json_object('id', r.`id`, 'po_number', r.`po_number`, 'supplier', r.`supplier`, 'site_id', r.`site_id`, 'expected_on', r.`expected_on`, 'created_at', r.`created_at`, 'lines', json((SELECT json_group_array(json(x.j)) FROM (SELECT json_object('id', c.`id`, 'line_no', c.`line_no`, 'article_id', c.`article_id`, 'quantity', c.`quantity`) AS j FROM `purchase_order_lines` c WHERE c.`purchase_order_id` = r.`id` ORDER BY c.`line_no`) x))) FROM `purchase_orders` r WHERE r.`id` = NEW.`id`))))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `purchase_orders_sync_delete` AFTER DELETE ON `purchase_orders` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('purchase_order', OLD.`id`, json(NULL)))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `customer_orders_sync_insert` AFTER INSERT ON `customer_orders` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('customer_order', NEW.`id`, json((SELECT json_object('id', r.`id`, 'order_ref', r.`order_ref`, 'customer_ref', r.`customer_ref`, 'delivery_point', r.`delivery_point`, 'municipality', r.`municipality`, 'route', r.`route`, 'delivery_day', r.`delivery_day`, 'placed_at', r.`placed_at`, 'site_id', r.`site_id`, 'to_site_id', r.`to_site_id`, 'lines', json((SELECT json_group_array(json(x.j)) FROM (SELECT json_object('id', c.`id`, 'line_no', c.`line_no`, 'article_id', c.`article_id`, 'quantity', c.`quantity`) AS j FROM `customer_order_lines` c WHERE c.`customer_order_id` = r.`id` ORDER BY c.`line_no`) x))) FROM `customer_orders` r WHERE r.`id` = NEW.`id`))))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `customer_orders_sync_update` AFTER UPDATE ON `customer_orders` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('customer_order', NEW.`id`, json((SELECT json_object('id', r.`id`, 'order_ref', r.`order_ref`, 'customer_ref', r.`customer_ref`, 'delivery_point', r.`delivery_point`, 'municipality', r.`municipality`, 'route', r.`route`, 'delivery_day', r.`delivery_day`, 'placed_at', r.`placed_at`, 'site_id', r.`site_id`, 'to_site_id', r.`to_site_id`, 'lines', json((SELECT json_group_array(json(x.j)) FROM (SELECT json_object('id', c.`id`, 'line_no', c.`line_no`, 'article_id', c.`article_id`, 'quantity', c.`quantity`) AS j FROM `customer_order_lines` c WHERE c.`customer_order_id` = r.`id` ORDER BY c.`line_no`) x))) FROM `customer_orders` r WHERE r.`id` = NEW.`id`))))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `customer_orders_sync_delete` AFTER DELETE ON `customer_orders` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('customer_order', OLD.`id`, json(NULL)))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `reorder_settings_sync_insert` AFTER INSERT ON `reorder_settings` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('reorder_setting', NEW.`article_id` || ':' || NEW.`site_id`, json(json_object('id', NEW.`article_id` || ':' || NEW.`site_id`, 'article_id', NEW.`article_id`, 'site_id', NEW.`site_id`, 'stock_article', NEW.`stock_article`, 'reorder_point', NEW.`reorder_point`, 'safety_stock', NEW.`safety_stock`, 'max_stock', NEW.`max_stock`, 'lead_days', NEW.`lead_days`, 'order_quantity', NEW.`order_quantity`, 'updated_at', NEW.`updated_at`))))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `reorder_settings_sync_update` AFTER UPDATE ON `reorder_settings` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('reorder_setting', NEW.`article_id` || ':' || NEW.`site_id`, json(json_object('id', NEW.`article_id` || ':' || NEW.`site_id`, 'article_id', NEW.`article_id`, 'site_id', NEW.`site_id`, 'stock_article', NEW.`stock_article`, 'reorder_point', NEW.`reorder_point`, 'safety_stock', NEW.`safety_stock`, 'max_stock', NEW.`max_stock`, 'lead_days', NEW.`lead_days`, 'order_quantity', NEW.`order_quantity`, 'updated_at', NEW.`updated_at`))))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `reorder_settings_sync_delete` AFTER DELETE ON `reorder_settings` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('reorder_setting', OLD.`article_id` || ':' || OLD.`site_id`, json(NULL)))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `pallet_items_sync_insert` AFTER INSERT ON `pallet_items` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('pallet', NEW.`pallet_id`, json((SELECT json_object('id', r.`id`, 'sscc', r.`sscc`, 'site_id', r.`site_id`, 'route', r.`route`, 'delivery_day', r.`delivery_day`, 'delivery_point', r.`delivery_point`, 'municipality', r.`municipality`, 'to_site_id', r.`to_site_id`, 'state', r.`state`, 'created_at', r.`created_at`, 'closed_at', r.`closed_at`, 'received_at', r.`received_at`, 'items', json((SELECT json_group_array(json(x.j)) FROM (SELECT json_object('id', c.`id`, 'article_id', c.`article_id`, 'individual_id', c.`individual_id`, 'lot', c.`lot`, 'quantity', c.`quantity`, 'order_ref', c.`order_ref`, 'added_at', c.`added_at`, 'received_state', c.`received_state`) AS j FROM `pallet_items` c WHERE c.`pallet_id` = r.`id` ORDER BY c.`added_at`, c.`id`) x))) FROM `pallets` r WHERE r.`id` = NEW.`pallet_id`))))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `pallet_items_sync_update` AFTER UPDATE ON `pallet_items` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('pallet', NEW.`pallet_id`, json((SELECT json_object('id', r.`id`, 'sscc', r.`sscc`, 'site_id', r.`site_id`, 'route', r.`route`, 'delivery_day', r.`delivery_day`, 'delivery_point', r.`delivery_point`, 'municipality', r.`municipality`, 'to_site_id', r.`to_site_id`, 'state', r.`state`, 'created_at', r.`created_at`, 'closed_at', r.`closed_at`, 'received_at', r.`received_at`, 'items', json((SELECT json_group_array(json(x.j)) FROM (SELECT json_object('id', c.`id`, 'article_id', c.`article_id`, 'individual_id', c.`individual_id`, 'lot', c.`lot`, 'quantity', c.`quantity`, 'order_ref', c.`order_ref`, 'added_at', c.`added_at`, 'received_state', c.`received_state`) AS j FROM `pallet_items` c WHERE c.`pallet_id` = r.`id` ORDER BY c.`added_at`, c.`id`) x))) FROM `pallets` r WHERE r.`id` = NEW.`pallet_id`))))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `pallet_items_sync_delete` AFTER DELETE ON `pallet_items` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('pallet', OLD.`pallet_id`, json((SELECT json_object('id', r.`id`, 'sscc', r.`sscc`, 'site_id', r.`site_id`, 'route', r.`route`, 'delivery_day', r.`delivery_day`, 'delivery_point', r.`delivery_point`, 'municipality', r.`municipality`, 'to_site_id', r.`to_site_id`, 'state', r.`state`, 'created_at', r.`created_at`, 'closed_at', r.`closed_at`, 'received_at', r.`received_at`, 'items', json((SELECT json_group_array(json(x.j)) FROM (SELECT json_object('id', c.`id`, 'article_id', c.`article_id`, 'individual_id', c.`individual_id`, 'lot', c.`lot`, 'quantity', c.`quantity`, 'order_ref', c.`order_ref`, 'added_at', c.`added_at`, 'received_state', c.`received_state`) AS j FROM `pallet_items` c WHERE c.`pallet_id` = r.`id` ORDER BY c.`added_at`, c.`id`) x))) FROM `pallets` r WHERE r.`id` = OLD.`pallet_id`))))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `purchase_order_lines_sync_insert` AFTER INSERT ON `purchase_order_lines` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('purchase_order', NEW.`purchase_order_id`, json((SELECT json_object('id', r.`id`, 'po_number', r.`po_number`, 'supplier', r.`supplier`, 'site_id', r.`site_id`, 'expected_on', r.`expected_on`, 'created_at', r.`created_at`, 'lines', json((SELECT json_group_array(json(x.j)) FROM (SELECT json_object('id', c.`id`, 'line_no', c.`line_no`, 'article_id', c.`article_id`, 'quantity', c.`quantity`) AS j FROM `purchase_order_lines` c WHERE c.`purchase_order_id` = r.`id` ORDER BY c.`line_no`) x))) FROM `purchase_orders` r WHERE r.`id` = NEW.`purchase_order_id`))))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `purchase_order_lines_sync_update` AFTER UPDATE ON `purchase_order_lines` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('purchase_order', NEW.`purchase_order_id`, json((SELECT json_object('id', r.`id`, 'po_number', r.`po_number`, 'supplier', r.`supplier`, 'site_id', r.`site_id`, 'expected_on', r.`expected_on`, 'created_at', r.`created_at`, 'lines', json((SELECT json_group_array(json(x.j)) FROM (SELECT json_object('id', c.`id`, 'line_no', c.`line_no`, 'article_id', c.`article_id`, 'quantity', c.`quantity`) AS j FROM `purchase_order_lines` c WHERE c.`purchase_order_id` = r.`id` ORDER BY c.`line_no`) x))) FROM `purchase_orders` r WHERE r.`id` = NEW.`purchase_order_id`))))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `purchase_order_lines_sync_delete` AFTER DELETE ON `purchase_order_lines` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('purchase_order', OLD.`purchase_order_id`, json((SELECT json_object('id', r.`id`, 'po_number', r.`po_number`, 'supplier', r.`supplier`, 'site_id', r.`site_id`, 'expected_on', r.`expected_on`, 'created_at', r.`created_at`, 'lines', json((SELECT json_group_array(json(x.j)) FROM (SELECT json_object('id', c.`id`, 'line_no', c.`line_no`, 'article_id', c.`article_id`, 'quantity', c.`quantity`) AS j FROM `purchase_order_lines` c WHERE c.`purchase_order_id` = r.`id` ORDER BY c.`line_no`) x))) FROM `purchase_orders` r WHERE r.`id` = OLD.`purchase_order_id`))))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `customer_order_lines_sync_insert` AFTER INSERT ON `customer_order_lines` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('customer_order', NEW.`customer_order_id`, json((SELECT json_object('id', r.`id`, 'order_ref', r.`order_ref`, 'customer_ref', r.`customer_ref`, 'delivery_point', r.`delivery_point`, 'municipality', r.`municipality`, 'route', r.`route`, 'delivery_day', r.`delivery_day`, 'placed_at', r.`placed_at`, 'site_id', r.`site_id`, 'to_site_id', r.`to_site_id`, 'lines', json((SELECT json_group_array(json(x.j)) FROM (SELECT json_object('id', c.`id`, 'line_no', c.`line_no`, 'article_id', c.`article_id`, 'quantity', c.`quantity`) AS j FROM `customer_order_lines` c WHERE c.`customer_order_id` = r.`id` ORDER BY c.`line_no`) x))) FROM `customer_orders` r WHERE r.`id` = NEW.`customer_order_id`))))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `customer_order_lines_sync_update` AFTER UPDATE ON `customer_order_lines` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('customer_order', NEW.`customer_order_id`, json((SELECT json_object('id', r.`id`, 'order_ref', r.`order_ref`, 'customer_ref', r.`customer_ref`, 'delivery_point', r.`delivery_point`, 'municipality', r.`municipality`, 'route', r.`route`, 'delivery_day', r.`delivery_day`, 'placed_at', r.`placed_at`, 'site_id', r.`site_id`, 'to_site_id', r.`to_site_id`, 'lines', json((SELECT json_group_array(json(x.j)) FROM (SELECT json_object('id', c.`id`, 'line_no', c.`line_no`, 'article_id', c.`article_id`, 'quantity', c.`quantity`) AS j FROM `customer_order_lines` c WHERE c.`customer_order_id` = r.`id` ORDER BY c.`line_no`) x))) FROM `customer_orders` r WHERE r.`id` = NEW.`customer_order_id`))))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `customer_order_lines_sync_delete` AFTER DELETE ON `customer_order_lines` WHEN NOT EXISTS (SELECT 1 FROM `sync_applying`)
BEGIN
  INSERT INTO `outbox` (`kind`, `payload`, `created_at`)
    VALUES ('entities', json_object('changes', json_array(json_array('customer_order', OLD.`customer_order_id`, json((SELECT json_object('id', r.`id`, 'order_ref', r.`order_ref`, 'customer_ref', r.`customer_ref`, 'delivery_point', r.`delivery_point`, 'municipality', r.`municipality`, 'route', r.`route`, 'delivery_day', r.`delivery_day`, 'placed_at', r.`placed_at`, 'site_id', r.`site_id`, 'to_site_id', r.`to_site_id`, 'lines', json((SELECT json_group_array(json(x.j)) FROM (SELECT json_object('id', c.`id`, 'line_no', c.`line_no`, 'article_id', c.`article_id`, 'quantity', c.`quantity`) AS j FROM `customer_order_lines` c WHERE c.`customer_order_id` = r.`id` ORDER BY c.`line_no`) x))) FROM `customer_orders` r WHERE r.`id` = OLD.`customer_order_id`))))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
