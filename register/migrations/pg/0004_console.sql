CREATE TABLE "console_audit" (
	"id" text PRIMARY KEY NOT NULL,
	"at" bigint NOT NULL,
	"user_id" text NOT NULL,
	"user_name" text NOT NULL,
	"action" text NOT NULL,
	"subject" text,
	"detail" text
);
--> statement-breakpoint
ALTER TABLE "stations" ADD COLUMN "version" text;--> statement-breakpoint
CREATE INDEX "console_audit_at" ON "console_audit" USING btree ("at");