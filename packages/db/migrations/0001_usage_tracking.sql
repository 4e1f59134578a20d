CREATE TABLE `query_outcomes` (
	`id` text PRIMARY KEY NOT NULL,
	`request_id` text NOT NULL,
	`endpoint_id` text NOT NULL,
	`served_entity` text NOT NULL,
	`status_code` integer NOT NULL,
	`latency_ms` integer NOT NULL,
	`timestamp` integer NOT NULL,
	`usage_tracked` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `query_outcomes_endpoint_time` ON `query_outcomes` (`endpoint_id`,`timestamp`);--> statement-breakpoint
CREATE INDEX `query_outcomes_request` ON `query_outcomes` (`request_id`);--> statement-breakpoint
CREATE TABLE `usage_records` (
	`id` text PRIMARY KEY NOT NULL,
	`request_id` text NOT NULL,
	`served_entity` text NOT NULL,
	`endpoint_id` text NOT NULL,
	`endpoint_name` text NOT NULL,
	`timestamp` integer NOT NULL,
	`requester` text NOT NULL,
	`requester_kind` text NOT NULL,
	`client_request_id` text,
	`usage_context` text,
	`task` text,
	`provider` text,
	`stream` integer NOT NULL,
	`prompt_tokens` integer NOT NULL,
	`completion_tokens` integer NOT NULL,
	`estimated` integer NOT NULL,
	`status` integer NOT NULL,
	`latency_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `usage_records_endpoint_time` ON `usage_records` (`endpoint_id`,`timestamp`);