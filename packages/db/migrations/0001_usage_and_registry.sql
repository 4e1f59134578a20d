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
CREATE INDEX `usage_records_endpoint_time` ON `usage_records` (`endpoint_id`,`timestamp`);--> statement-breakpoint
CREATE TABLE `artifact_uploads` (
	`upload_id` text PRIMARY KEY NOT NULL,
	`key` text NOT NULL,
	`creator_id` text NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `model_version_tags` (
	`model_id` text NOT NULL,
	`version` integer NOT NULL,
	`key` text NOT NULL,
	`value` text DEFAULT '' NOT NULL,
	PRIMARY KEY(`model_id`, `version`, `key`),
	FOREIGN KEY (`model_id`,`version`) REFERENCES `model_versions`(`model_id`,`version`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `model_versions` (
	`model_id` text NOT NULL,
	`version` integer NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`source` text NOT NULL,
	`artifact_prefix` text NOT NULL,
	`run_id` text DEFAULT '' NOT NULL,
	`run_link` text DEFAULT '' NOT NULL,
	`creator_id` text NOT NULL,
	`creator` text NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	PRIMARY KEY(`model_id`, `version`),
	FOREIGN KEY (`model_id`) REFERENCES `registered_models`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `model_versions_run` ON `model_versions` (`run_id`);--> statement-breakpoint
CREATE TABLE `registered_model_aliases` (
	`model_id` text NOT NULL,
	`alias` text NOT NULL,
	`version` integer NOT NULL,
	PRIMARY KEY(`model_id`, `alias`),
	FOREIGN KEY (`model_id`,`version`) REFERENCES `model_versions`(`model_id`,`version`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `registered_model_tags` (
	`model_id` text NOT NULL,
	`key` text NOT NULL,
	`value` text DEFAULT '' NOT NULL,
	PRIMARY KEY(`model_id`, `key`),
	FOREIGN KEY (`model_id`) REFERENCES `registered_models`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `registered_models` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`creator_id` text NOT NULL,
	`creator` text NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`next_version` integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `registered_models_name_unique` ON `registered_models` (`name`);