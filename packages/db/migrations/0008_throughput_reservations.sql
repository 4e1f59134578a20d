CREATE TABLE `throughput_reservations` (
	`endpoint_id` text NOT NULL,
	`model` text NOT NULL,
	`tokens_per_second` integer NOT NULL,
	`config_version` integer NOT NULL,
	PRIMARY KEY(`endpoint_id`, `model`),
	FOREIGN KEY (`endpoint_id`) REFERENCES `endpoints`(`id`) ON UPDATE no action ON DELETE cascade
);
