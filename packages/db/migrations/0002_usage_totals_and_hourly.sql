CREATE TABLE `query_outcome_totals` (
	`endpoint_id` text NOT NULL,
	`served_entity` text NOT NULL,
	`status_code` integer NOT NULL,
	`count` integer NOT NULL,
	`latency_sum_ms` integer NOT NULL,
	`le_5` integer NOT NULL,
	`le_10` integer NOT NULL,
	`le_25` integer NOT NULL,
	`le_50` integer NOT NULL,
	`le_100` integer NOT NULL,
	`le_250` integer NOT NULL,
	`le_500` integer NOT NULL,
	`le_1000` integer NOT NULL,
	`le_2500` integer NOT NULL,
	`le_5000` integer NOT NULL,
	`le_10000` integer NOT NULL,
	`le_30000` integer NOT NULL,
	`le_60000` integer NOT NULL,
	`le_120000` integer NOT NULL,
	`le_300000` integer NOT NULL,
	PRIMARY KEY(`endpoint_id`, `served_entity`, `status_code`)
);
--> statement-breakpoint
CREATE TABLE `tracked_usage_by_hour` (
	`endpoint_id` text NOT NULL,
	`hour_start` integer NOT NULL,
	`requester` text NOT NULL,
	`served_entity` text NOT NULL,
	`request_count` integer NOT NULL,
	`error_count` integer NOT NULL,
	`input_tokens` integer NOT NULL,
	`output_tokens` integer NOT NULL,
	`estimated_count` integer NOT NULL,
	PRIMARY KEY(`endpoint_id`, `hour_start`, `requester`, `served_entity`)
);
--> statement-breakpoint
CREATE TABLE `usage_token_totals` (
	`endpoint_id` text NOT NULL,
	`served_entity` text NOT NULL,
	`input_tokens` integer NOT NULL,
	`output_tokens` integer NOT NULL,
	PRIMARY KEY(`endpoint_id`, `served_entity`)
);
--> statement-breakpoint
DROP INDEX `query_outcomes_endpoint_time`;--> statement-breakpoint
CREATE INDEX `query_outcomes_time` ON `query_outcomes` (`timestamp`);--> statement-breakpoint
CREATE INDEX `usage_records_time` ON `usage_records` (`timestamp`);--> statement-breakpoint
CREATE INDEX `usage_records_request` ON `usage_records` (`request_id`);