import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

// Each test file starts from the migrated schema (storage is isolated per test file).
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
