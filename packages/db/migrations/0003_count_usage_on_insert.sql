-- Custom SQL migration file, put your code below! --
-- Keeps the totals of 0002 as the usage consumer inserts raw rows (packages/db/src/usage-schema.ts says
-- what reads each). SQLite runs an AFTER INSERT trigger only for a row actually inserted, inside the
-- inserting statement: an event the queue redelivers hits its row's primary key (ON CONFLICT DO NOTHING),
-- inserts nothing and counts nothing, and a row and its counts commit together or not at all. Deleting raw
-- rows (retention) leaves the totals as they are. `le_<ms>` columns are LATENCY_BUCKETS_MS
-- (src/latency-buckets.ts); `x <= n` is 1 or 0. No CASE in trigger bodies: wrangler's statement splitter
-- ends a trigger at a CASE's END. The rows stored before this migration are counted first; wrangler applies
-- a migration file in one transaction, so no row is counted twice or missed around it.
INSERT INTO `query_outcome_totals` (`endpoint_id`, `served_entity`, `status_code`, `count`, `latency_sum_ms`, `le_5`, `le_10`, `le_25`, `le_50`, `le_100`, `le_250`, `le_500`, `le_1000`, `le_2500`, `le_5000`, `le_10000`, `le_30000`, `le_60000`, `le_120000`, `le_300000`)
SELECT `endpoint_id`, `served_entity`, `status_code`, count(*), sum(`latency_ms`), sum(`latency_ms` <= 5), sum(`latency_ms` <= 10), sum(`latency_ms` <= 25), sum(`latency_ms` <= 50), sum(`latency_ms` <= 100), sum(`latency_ms` <= 250), sum(`latency_ms` <= 500), sum(`latency_ms` <= 1000), sum(`latency_ms` <= 2500), sum(`latency_ms` <= 5000), sum(`latency_ms` <= 10000), sum(`latency_ms` <= 30000), sum(`latency_ms` <= 60000), sum(`latency_ms` <= 120000), sum(`latency_ms` <= 300000)
FROM `query_outcomes` GROUP BY `endpoint_id`, `served_entity`, `status_code`;
INSERT INTO `usage_token_totals` (`endpoint_id`, `served_entity`, `input_tokens`, `output_tokens`)
SELECT `endpoint_id`, `served_entity`, sum(`prompt_tokens`), sum(`completion_tokens`)
FROM `usage_records` GROUP BY `endpoint_id`, `served_entity`;
INSERT INTO `tracked_usage_by_hour` (`endpoint_id`, `hour_start`, `requester`, `served_entity`, `request_count`, `error_count`, `input_tokens`, `output_tokens`, `estimated_count`)
SELECT u.`endpoint_id`, u.`timestamp` - u.`timestamp` % 3600000, u.`requester`, u.`served_entity`, count(*), sum(u.`status` >= 400), sum(u.`prompt_tokens`), sum(u.`completion_tokens`), sum(u.`estimated`)
FROM `usage_records` u WHERE EXISTS (SELECT 1 FROM `query_outcomes` q WHERE q.`request_id` = u.`request_id` AND q.`endpoint_id` = u.`endpoint_id` AND q.`usage_tracked` = 1)
GROUP BY 1, 2, 3, 4;
CREATE TRIGGER `query_outcomes_count_totals` AFTER INSERT ON `query_outcomes`
BEGIN
  INSERT INTO `query_outcome_totals` (`endpoint_id`, `served_entity`, `status_code`, `count`, `latency_sum_ms`, `le_5`, `le_10`, `le_25`, `le_50`, `le_100`, `le_250`, `le_500`, `le_1000`, `le_2500`, `le_5000`, `le_10000`, `le_30000`, `le_60000`, `le_120000`, `le_300000`)
  VALUES (NEW.`endpoint_id`, NEW.`served_entity`, NEW.`status_code`, 1, NEW.`latency_ms`, NEW.`latency_ms` <= 5, NEW.`latency_ms` <= 10, NEW.`latency_ms` <= 25, NEW.`latency_ms` <= 50, NEW.`latency_ms` <= 100, NEW.`latency_ms` <= 250, NEW.`latency_ms` <= 500, NEW.`latency_ms` <= 1000, NEW.`latency_ms` <= 2500, NEW.`latency_ms` <= 5000, NEW.`latency_ms` <= 10000, NEW.`latency_ms` <= 30000, NEW.`latency_ms` <= 60000, NEW.`latency_ms` <= 120000, NEW.`latency_ms` <= 300000)
  ON CONFLICT (`endpoint_id`, `served_entity`, `status_code`) DO UPDATE SET
    `count` = `count` + 1,
    `latency_sum_ms` = `latency_sum_ms` + excluded.`latency_sum_ms`,
    `le_5` = `le_5` + excluded.`le_5`,
    `le_10` = `le_10` + excluded.`le_10`,
    `le_25` = `le_25` + excluded.`le_25`,
    `le_50` = `le_50` + excluded.`le_50`,
    `le_100` = `le_100` + excluded.`le_100`,
    `le_250` = `le_250` + excluded.`le_250`,
    `le_500` = `le_500` + excluded.`le_500`,
    `le_1000` = `le_1000` + excluded.`le_1000`,
    `le_2500` = `le_2500` + excluded.`le_2500`,
    `le_5000` = `le_5000` + excluded.`le_5000`,
    `le_10000` = `le_10000` + excluded.`le_10000`,
    `le_30000` = `le_30000` + excluded.`le_30000`,
    `le_60000` = `le_60000` + excluded.`le_60000`,
    `le_120000` = `le_120000` + excluded.`le_120000`,
    `le_300000` = `le_300000` + excluded.`le_300000`;
END;
CREATE TRIGGER `usage_records_count_totals` AFTER INSERT ON `usage_records`
BEGIN
  INSERT INTO `usage_token_totals` (`endpoint_id`, `served_entity`, `input_tokens`, `output_tokens`)
  VALUES (NEW.`endpoint_id`, NEW.`served_entity`, NEW.`prompt_tokens`, NEW.`completion_tokens`)
  ON CONFLICT (`endpoint_id`, `served_entity`) DO UPDATE SET
    `input_tokens` = `input_tokens` + excluded.`input_tokens`,
    `output_tokens` = `output_tokens` + excluded.`output_tokens`;
END;
-- Tracked usage: a usage row counts once a tracked query outcome of its request exists (what the usage API
-- always reported). Whichever of the two lands second counts it: the usage row, if the outcome is there;
-- else the request's first tracked outcome, which counts the usage rows already there. Two queries that
-- share a request id (callers choose x-request-id) count each usage row once, as before.
CREATE TRIGGER `usage_records_count_tracked_usage` AFTER INSERT ON `usage_records`
WHEN EXISTS (SELECT 1 FROM `query_outcomes` q WHERE q.`request_id` = NEW.`request_id` AND q.`endpoint_id` = NEW.`endpoint_id` AND q.`usage_tracked` = 1)
BEGIN
  INSERT INTO `tracked_usage_by_hour` (`endpoint_id`, `hour_start`, `requester`, `served_entity`, `request_count`, `error_count`, `input_tokens`, `output_tokens`, `estimated_count`)
  VALUES (NEW.`endpoint_id`, NEW.`timestamp` - NEW.`timestamp` % 3600000, NEW.`requester`, NEW.`served_entity`, 1, NEW.`status` >= 400, NEW.`prompt_tokens`, NEW.`completion_tokens`, NEW.`estimated`)
  ON CONFLICT (`endpoint_id`, `hour_start`, `requester`, `served_entity`) DO UPDATE SET
    `request_count` = `request_count` + excluded.`request_count`,
    `error_count` = `error_count` + excluded.`error_count`,
    `input_tokens` = `input_tokens` + excluded.`input_tokens`,
    `output_tokens` = `output_tokens` + excluded.`output_tokens`,
    `estimated_count` = `estimated_count` + excluded.`estimated_count`;
END;
CREATE TRIGGER `query_outcomes_count_tracked_usage` AFTER INSERT ON `query_outcomes`
WHEN NEW.`usage_tracked` = 1
  AND NOT EXISTS (SELECT 1 FROM `query_outcomes` q WHERE q.`request_id` = NEW.`request_id` AND q.`endpoint_id` = NEW.`endpoint_id` AND q.`usage_tracked` = 1 AND q.`id` <> NEW.`id`)
BEGIN
  INSERT INTO `tracked_usage_by_hour` (`endpoint_id`, `hour_start`, `requester`, `served_entity`, `request_count`, `error_count`, `input_tokens`, `output_tokens`, `estimated_count`)
  SELECT u.`endpoint_id`, u.`timestamp` - u.`timestamp` % 3600000, u.`requester`, u.`served_entity`, count(*), sum(u.`status` >= 400), sum(u.`prompt_tokens`), sum(u.`completion_tokens`), sum(u.`estimated`)
  FROM `usage_records` u WHERE u.`request_id` = NEW.`request_id` AND u.`endpoint_id` = NEW.`endpoint_id`
  GROUP BY 1, 2, 3, 4
  ON CONFLICT (`endpoint_id`, `hour_start`, `requester`, `served_entity`) DO UPDATE SET
    `request_count` = `request_count` + excluded.`request_count`,
    `error_count` = `error_count` + excluded.`error_count`,
    `input_tokens` = `input_tokens` + excluded.`input_tokens`,
    `output_tokens` = `output_tokens` + excluded.`output_tokens`,
    `estimated_count` = `estimated_count` + excluded.`estimated_count`;
END;
