-- Custom SQL migration file, put your code below! --
-- Tracked usage by hour also sums the cost of pay-per-token calls (usage_records.cost_usd, null for other
-- entities, counted as 0): the two triggers of 0003 that keep tracked_usage_by_hour, recreated with the cost.
-- Rows counted before this migration had no cost (the column is new in 0005), so nothing is recounted.
DROP TRIGGER `usage_records_count_tracked_usage`;
DROP TRIGGER `query_outcomes_count_tracked_usage`;
CREATE TRIGGER `usage_records_count_tracked_usage` AFTER INSERT ON `usage_records`
WHEN EXISTS (SELECT 1 FROM `query_outcomes` q WHERE q.`request_id` = NEW.`request_id` AND q.`endpoint_id` = NEW.`endpoint_id` AND q.`usage_tracked` = 1)
BEGIN
  INSERT INTO `tracked_usage_by_hour` (`endpoint_id`, `hour_start`, `requester`, `served_entity`, `request_count`, `error_count`, `input_tokens`, `output_tokens`, `estimated_count`, `cost_usd`)
  VALUES (NEW.`endpoint_id`, NEW.`timestamp` - NEW.`timestamp` % 3600000, NEW.`requester`, NEW.`served_entity`, 1, NEW.`status` >= 400, NEW.`prompt_tokens`, NEW.`completion_tokens`, NEW.`estimated`, coalesce(NEW.`cost_usd`, 0))
  ON CONFLICT (`endpoint_id`, `hour_start`, `requester`, `served_entity`) DO UPDATE SET
    `request_count` = `request_count` + excluded.`request_count`,
    `error_count` = `error_count` + excluded.`error_count`,
    `input_tokens` = `input_tokens` + excluded.`input_tokens`,
    `output_tokens` = `output_tokens` + excluded.`output_tokens`,
    `estimated_count` = `estimated_count` + excluded.`estimated_count`,
    `cost_usd` = `cost_usd` + excluded.`cost_usd`;
END;
CREATE TRIGGER `query_outcomes_count_tracked_usage` AFTER INSERT ON `query_outcomes`
WHEN NEW.`usage_tracked` = 1
  AND NOT EXISTS (SELECT 1 FROM `query_outcomes` q WHERE q.`request_id` = NEW.`request_id` AND q.`endpoint_id` = NEW.`endpoint_id` AND q.`usage_tracked` = 1 AND q.`id` <> NEW.`id`)
BEGIN
  INSERT INTO `tracked_usage_by_hour` (`endpoint_id`, `hour_start`, `requester`, `served_entity`, `request_count`, `error_count`, `input_tokens`, `output_tokens`, `estimated_count`, `cost_usd`)
  SELECT u.`endpoint_id`, u.`timestamp` - u.`timestamp` % 3600000, u.`requester`, u.`served_entity`, count(*), sum(u.`status` >= 400), sum(u.`prompt_tokens`), sum(u.`completion_tokens`), sum(u.`estimated`), total(u.`cost_usd`)
  FROM `usage_records` u WHERE u.`request_id` = NEW.`request_id` AND u.`endpoint_id` = NEW.`endpoint_id`
  GROUP BY 1, 2, 3, 4
  ON CONFLICT (`endpoint_id`, `hour_start`, `requester`, `served_entity`) DO UPDATE SET
    `request_count` = `request_count` + excluded.`request_count`,
    `error_count` = `error_count` + excluded.`error_count`,
    `input_tokens` = `input_tokens` + excluded.`input_tokens`,
    `output_tokens` = `output_tokens` + excluded.`output_tokens`,
    `estimated_count` = `estimated_count` + excluded.`estimated_count`,
    `cost_usd` = `cost_usd` + excluded.`cost_usd`;
END;
