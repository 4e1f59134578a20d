ALTER TABLE `tracked_usage_by_hour` ADD `cost_usd` real DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_records` ADD `cost_usd` real;