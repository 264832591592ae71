CREATE TABLE "console_locks" (
	"user_id" text PRIMARY KEY NOT NULL,
	"failures" integer NOT NULL,
	"locks" integer NOT NULL,
	"locked_until" bigint
);
--> statement-breakpoint
CREATE TABLE "console_sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"started_at" bigint NOT NULL,
	"used_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "console_sessions_user" ON "console_sessions" USING btree ("user_id");