DROP INDEX `query_outcomes_request`;--> statement-breakpoint
CREATE INDEX `query_outcomes_request` ON `query_outcomes` (`request_id`,`endpoint_id`);--> statement-breakpoint
DROP INDEX `usage_records_request`;--> statement-breakpoint
CREATE INDEX `usage_records_request` ON `usage_records` (`request_id`,`endpoint_id`);