/** infra/deploy.mjs cannot reach Cloudflare here; its --dry-run shows the plan it would carry out. */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const repoRoot = path.resolve(import.meta.dirname, "../..");

function dryRun(env: Record<string, string> = {}) {
  return execFileSync(process.execPath, [path.join(repoRoot, "infra/deploy.mjs"), "--dry-run"], {
    cwd: repoRoot,
    encoding: "utf8",
    env: { ...process.env, EDGESERVE_ADMIN_TOKEN: "", EDGESERVE_MASTER_KEY: "", ...env },
  });
}

describe("infra/deploy.mjs --dry-run", () => {
  it("creates the resources, writes the production config, migrates, then deploys with secrets", () => {
    const commands = dryRun()
      .split("\n")
      .filter((l) => l.startsWith("$ "))
      .map((l) => l.slice(2));
    expect(commands).toEqual([
      "wrangler d1 list --json",
      "wrangler d1 create edgeserve",
      "wrangler kv namespace list",
      "wrangler kv namespace create edgeserve-cache",
      "wrangler r2 bucket create edgeserve-artifacts",
      // The built-in embeddings model: model.json, vocab.json and 7 weight shards (infra/builtin-models.mjs).
      ...["model.json", "vocab.json", ...[1, 2, 3, 4, 5, 6, 7].map((i) => `group1-shard${i}of7`)].map((f) =>
        expect.stringMatching(
          new RegExp(
            `^wrangler r2 object put edgeserve-artifacts/builtin/universal-sentence-encoder/${f} ` +
              `--file \\S+/${f} --remote$`,
          ),
        ),
      ),
      // Every queue wrangler.toml produces to, then every dead-letter queue.
      ...["edgeserve-deployments", "edgeserve-usage", "edgeserve-payload-logs"].map(
        (q) => `wrangler queues create ${q}`,
      ),
      ...["edgeserve-deployments-dlq", "edgeserve-usage-dlq", "edgeserve-payload-logs-dlq"].map(
        (q) => `wrangler queues create ${q}`,
      ),
      "wrangler d1 migrations apply DB --remote --config wrangler.production.toml",
      // The inference worker before the gateway, whose INFERENCE service binding names it.
      "wrangler deploy --config workers/inference/wrangler.toml",
      "wrangler secret list --config wrangler.production.toml --format json",
      expect.stringMatching(/^wrangler deploy --config wrangler\.production\.toml --secrets-file \S+secrets\.json$/),
    ]);
  });

  it("--workers-ai binds Workers AI and EDGESERVE_FOUNDATION_MODELS goes on as a var", () => {
    const config = '{"databricks-gpt-oss-20b":{"backend":"workers-ai","model":"@cf/openai/gpt-oss-20b"}}';
    const out = execFileSync(process.execPath, [path.join(repoRoot, "infra/deploy.mjs"), "--dry-run", "--workers-ai"], {
      cwd: repoRoot,
      encoding: "utf8",
      env: { ...process.env, EDGESERVE_ADMIN_TOKEN: "", EDGESERVE_MASTER_KEY: "", EDGESERVE_FOUNDATION_MODELS: config },
    });
    expect(out).toMatch(/# write wrangler\.production\.toml \(.*, Workers AI binding\)/);
    // Printed shell-quoted, as every argument with spaces, quotes or braces.
    const variable = JSON.stringify(`EDGESERVE_FOUNDATION_MODELS:${config}`);
    expect(out).toContain(`wrangler deploy --config wrangler.production.toml --var ${variable}`);
  });

  it("never prints a secret it was given", () => {
    const out = dryRun({
      EDGESERVE_ADMIN_TOKEN: "dapi-given-admin-token-e2e",
      EDGESERVE_MASTER_KEY: "bWFzdGVyLWtleS1naXZlbi1lMmU=",
    });
    expect(out).not.toContain("dapi-given-admin-token-e2e");
    expect(out).not.toContain("bWFzdGVyLWtleS1naXZlbi1lMmU=");
    expect(out).toContain("EDGESERVE_MASTER_KEY: from the environment");
  });
});
