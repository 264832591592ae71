CREATE TABLE "balances" (
	"article_id" text NOT NULL,
	"location_id" text NOT NULL,
	"lot" text NOT NULL,
	"quantity" integer NOT NULL,
	CONSTRAINT "balances_article_id_location_id_lot_pk" PRIMARY KEY("article_id","location_id","lot")
);
--> statement-breakpoint
CREATE TABLE "counters" (
	"name" text PRIMARY KEY NOT NULL,
	"value" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "enrolment_codes" (
	"code_hash" text PRIMARY KEY NOT NULL,
	"station_name" text NOT NULL,
	"site_id" text NOT NULL,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	"used_at" bigint,
	"station_id" text
);
--> statement-breakpoint
CREATE TABLE "entities" (
	"kind" text NOT NULL,
	"id" text NOT NULL,
	"data" text NOT NULL,
	"rev" bigint NOT NULL,
	"deleted" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "entities_kind_id_pk" PRIMARY KEY("kind","id")
);
--> statement-breakpoint
CREATE TABLE "meta" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "movements" (
	"id" text PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"user_id" text NOT NULL,
	"occurred_at" bigint NOT NULL,
	"recorded_at" bigint NOT NULL,
	"article_id" text NOT NULL,
	"individual_id" text,
	"lot" text,
	"from_location_id" text,
	"to_location_id" text,
	"quantity" integer NOT NULL,
	"reason" text NOT NULL,
	"order_ref" text,
	"rev" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stations" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"site_id" text NOT NULL,
	"token_hash" text,
	"enrolled_at" bigint NOT NULL,
	"revoked_at" bigint,
	"last_applied" bigint DEFAULT 0 NOT NULL,
	"last_seen_at" bigint,
	CONSTRAINT "stations_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE INDEX "entities_rev" ON "entities" USING btree ("rev");--> statement-breakpoint
CREATE UNIQUE INDEX "movements_station_seq" ON "movements" USING btree ("station_id","seq");--> statement-breakpoint
CREATE INDEX "movements_rev" ON "movements" USING btree ("rev");--> statement-breakpoint
CREATE INDEX "movements_individual" ON "movements" USING btree ("individual_id");