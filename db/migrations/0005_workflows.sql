CREATE TABLE `article_components` (
	`article_id` text NOT NULL,
	`name` text NOT NULL,
	`quantity` integer DEFAULT 1 NOT NULL,
	PRIMARY KEY(`article_id`, `name`),
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `customer_order_lines` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_order_id` text NOT NULL,
	`line_no` integer NOT NULL,
	`article_id` text NOT NULL,
	`quantity` integer NOT NULL,
	FOREIGN KEY (`customer_order_id`) REFERENCES `customer_orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "customer_order_lines_quantity" CHECK("customer_order_lines"."quantity" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `customer_order_lines_line` ON `customer_order_lines` (`customer_order_id`,`line_no`);--> statement-breakpoint
CREATE TABLE `customer_orders` (
	`id` text PRIMARY KEY NOT NULL,
	`order_ref` text NOT NULL,
	`customer_ref` text NOT NULL,
	`delivery_point` text NOT NULL,
	`municipality` text NOT NULL,
	`route` text NOT NULL,
	`delivery_day` text NOT NULL,
	`placed_at` integer NOT NULL,
	`site_id` text NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `customer_orders_order_ref_unique` ON `customer_orders` (`order_ref`);--> statement-breakpoint
CREATE INDEX `customer_orders_route_day` ON `customer_orders` (`route`,`delivery_day`);--> statement-breakpoint
CREATE TABLE `label_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`entity_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL
);
--> statement-breakpoint
CREATE TABLE `lots` (
	`article_id` text NOT NULL,
	`lot` text NOT NULL,
	`expires_on` text,
	PRIMARY KEY(`article_id`, `lot`),
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `number_series` (
	`name` text PRIMARY KEY NOT NULL,
	`next` integer NOT NULL,
	`last` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `preferred_locations` (
	`article_id` text NOT NULL,
	`site_id` text NOT NULL,
	`location_id` text NOT NULL,
	PRIMARY KEY(`article_id`, `site_id`),
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `purchase_order_lines` (
	`id` text PRIMARY KEY NOT NULL,
	`purchase_order_id` text NOT NULL,
	`line_no` integer NOT NULL,
	`article_id` text NOT NULL,
	`quantity` integer NOT NULL,
	FOREIGN KEY (`purchase_order_id`) REFERENCES `purchase_orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "purchase_order_lines_quantity" CHECK("purchase_order_lines"."quantity" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `purchase_order_lines_line` ON `purchase_order_lines` (`purchase_order_id`,`line_no`);--> statement-breakpoint
CREATE TABLE `purchase_orders` (
	`id` text PRIMARY KEY NOT NULL,
	`po_number` text NOT NULL,
	`supplier` text NOT NULL,
	`site_id` text NOT NULL,
	`expected_on` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `purchase_orders_po_number_unique` ON `purchase_orders` (`po_number`);--> statement-breakpoint
CREATE TABLE `return_checks` (
	`movement_id` text PRIMARY KEY NOT NULL,
	`individual_id` text NOT NULL,
	`missing` text NOT NULL,
	`checked_at` integer NOT NULL,
	`user_id` text NOT NULL,
	FOREIGN KEY (`movement_id`) REFERENCES `movements`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`individual_id`) REFERENCES `individuals`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `movements_order` ON `movements` (`order_ref`,`article_id`) WHERE "movements"."order_ref" is not null;