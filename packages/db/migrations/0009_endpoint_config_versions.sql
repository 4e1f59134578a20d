CREATE TABLE `endpoint_config_versions` (
	`endpoint_id` text NOT NULL,
	`config_version` integer NOT NULL,
	`config` text NOT NULL,
	`promoted_at` integer NOT NULL,
	PRIMARY KEY(`endpoint_id`, `config_version`),
	FOREIGN KEY (`endpoint_id`) REFERENCES `endpoints`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- Endpoints deployed before this table existed: their active config starts their history.
INSERT INTO `endpoint_config_versions` (`endpoint_id`, `config_version`, `config`, `promoted_at`)
SELECT `id`, json_extract(`config`, '$.config_version'), `config`, `updated_at` FROM `endpoints`
WHERE `config` IS NOT NULL AND json_extract(`config`, '$.config_version') IS NOT NULL;
