import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { StoredServedEntity } from "../../endpoints/stored-config";
import { BUILTIN_EMBEDDINGS_MODEL_JSON, checkBuiltinEmbeddings } from "./check-builtin-embeddings";

const entity: StoredServedEntity = {
  name: "use",
  entity_name: "system.ai.universal_sentence_encoder",
  entity_version: "1",
  creator: "admin",
  creation_timestamp: 0,
  state: { deployment: "DEPLOYMENT_CREATING", deployment_state_message: "" },
};

async function check(bindings: { ARTIFACTS: R2Bucket; INFERENCE?: Fetcher }) {
  const lines: string[] = [];
  const result = await checkBuiltinEmbeddings(
    entity,
    bindings,
    (message, level = "INFO") => void lines.push(`${level} ${message}`),
  );
  return { result, lines };
}

describe("checkBuiltinEmbeddings", () => {
  it("fails without the encoder's files in R2, or without the INFERENCE binding; passes with both", async () => {
    const missing = await check(env);
    expect(missing.result).toEqual({
      problem: expect.stringContaining(`The encoder's files are not in R2 (${BUILTIN_EMBEDDINGS_MODEL_JSON})`),
    });
    expect(missing.lines.at(-1)).toMatch(/^ERROR The encoder's files are not in R2/);

    await env.ARTIFACTS.put(BUILTIN_EMBEDDINGS_MODEL_JSON, "{}");
    const unbound = await check({ ARTIFACTS: env.ARTIFACTS });
    expect(unbound.result).toEqual({
      problem:
        "The gateway has no INFERENCE service binding, the inference " +
        "worker that runs the encoder (wrangler.toml [[services]]).",
    });

    expect((await check(env)).result).toEqual({ ready: entity });
  });

  it("fails an unknown version", async () => {
    expect(await checkBuiltinEmbeddings({ ...entity, entity_version: "9" }, env, () => {})).toEqual({
      problem: "'system.ai.universal_sentence_encoder' has no version '9'; available: 1.",
    });
  });
});
