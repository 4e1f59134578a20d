CREATE TABLE `endpoint_acl` (
	`endpoint_id` text NOT NULL,
	`principal_id` text NOT NULL,
	`level` text NOT NULL,
	PRIMARY KEY(`endpoint_id`, `principal_id`),
	FOREIGN KEY (`endpoint_id`) REFERENCES `endpoints`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`principal_id`) REFERENCES `principals`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `endpoint_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`endpoint_id` text NOT NULL,
	`served_entity` text NOT NULL,
	`kind` text NOT NULL,
	`level` text DEFAULT 'INFO' NOT NULL,
	`message` text NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`endpoint_id`) REFERENCES `endpoints`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `endpoint_events_entity` ON `endpoint_events` (`endpoint_id`,`served_entity`,`kind`,`id`);--> statement-breakpoint
CREATE TABLE `endpoints` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`creator_id` text NOT NULL,
	`creator` text NOT NULL,
	`description` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`config` text,
	`pending_config` text,
	`pending_started_at` integer,
	`config_version` integer DEFAULT 0 NOT NULL,
	`ready` text DEFAULT 'NOT_READY' NOT NULL,
	`config_update` text DEFAULT 'IN_PROGRESS' NOT NULL,
	`tags` text,
	`ai_gateway` text,
	`rate_limits` text,
	`route_optimized` integer DEFAULT false NOT NULL,
	`budget_policy_id` text,
	`email_notifications` text,
	`telemetry_config` text,
	`task` text,
	`endpoint_type` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `endpoints_name` ON `endpoints` (`name`);--> statement-breakpoint
CREATE TABLE `group_members` (
	`group_id` text NOT NULL,
	`member_id` text NOT NULL,
	PRIMARY KEY(`group_id`, `member_id`),
	FOREIGN KEY (`group_id`) REFERENCES `principals`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`member_id`) REFERENCES `principals`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `group_members_member` ON `group_members` (`member_id`);--> statement-breakpoint
CREATE TABLE `principals` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`display_name` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`external_id` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `principals_kind_name` ON `principals` (`kind`,`name`);--> statement-breakpoint
CREATE TABLE `secret_acls` (
	`scope` text NOT NULL,
	`principal` text NOT NULL,
	`permission` text NOT NULL,
	PRIMARY KEY(`scope`, `principal`),
	FOREIGN KEY (`scope`) REFERENCES `secret_scopes`(`name`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `secret_scopes` (
	`name` text PRIMARY KEY NOT NULL,
	`backend_type` text DEFAULT 'DATABRICKS' NOT NULL,
	`creator_id` text NOT NULL,
	`owner_endpoint_id` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `secrets` (
	`scope` text NOT NULL,
	`key` text NOT NULL,
	`ciphertext` text NOT NULL,
	`iv` text NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	PRIMARY KEY(`scope`, `key`),
	FOREIGN KEY (`scope`) REFERENCES `secret_scopes`(`name`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`principal_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`comment` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`expires_at` integer DEFAULT -1 NOT NULL,
	FOREIGN KEY (`principal_id`) REFERENCES `principals`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tokens_hash` ON `tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `tokens_principal` ON `tokens` (`principal_id`);