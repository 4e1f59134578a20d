CREATE TABLE `model_servers` (
	`name` text PRIMARY KEY NOT NULL,
	`protocol` text NOT NULL,
	`base_url` text NOT NULL,
	`bearer_token` text,
	`workload_types` text NOT NULL,
	`model_name` text,
	`model_version` text,
	`max_models` integer,
	`creator` text NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL
);
