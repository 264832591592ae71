CREATE TABLE `pallet_items` (
	`id` text PRIMARY KEY NOT NULL,
	`pallet_id` text NOT NULL,
	`article_id` text NOT NULL,
	`individual_id` text,
	`lot` text,
	`quantity` integer NOT NULL,
	`order_ref` text,
	`added_at` integer NOT NULL,
	`received_state` text DEFAULT 'pending' NOT NULL,
	FOREIGN KEY (`pallet_id`) REFERENCES `pallets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`individual_id`) REFERENCES `individuals`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "pallet_items_quantity" CHECK("pallet_items"."quantity" > 0)
);
--> statement-breakpoint
CREATE INDEX `pallet_items_pallet` ON `pallet_items` (`pallet_id`);--> statement-breakpoint
CREATE TABLE `pallets` (
	`id` text PRIMARY KEY NOT NULL,
	`sscc` text NOT NULL,
	`site_id` text NOT NULL,
	`route` text NOT NULL,
	`delivery_day` text NOT NULL,
	`delivery_point` text NOT NULL,
	`municipality` text NOT NULL,
	`to_site_id` text,
	`state` text NOT NULL,
	`created_at` integer NOT NULL,
	`closed_at` integer,
	`received_at` integer,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`to_site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "pallets_state" CHECK("pallets"."state" in ('open', 'closed', 'received'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pallets_sscc_unique` ON `pallets` (`sscc`);--> statement-breakpoint
CREATE INDEX `pallets_route_day` ON `pallets` (`route`,`delivery_day`);