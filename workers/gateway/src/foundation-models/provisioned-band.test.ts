import { ApiError } from "@edgeserve/api";
import { describe, expect, it } from "vitest";
import type { StoredConfig, StoredServedEntity } from "../endpoints/stored-config";
import { FOUNDATION_CATALOGUE } from "./catalogue";
import { bandOf, bandsOf, checkProvisionedBands, isProvisionedEntity } from "./provisioned-band";

const LLAMA_8B = "databricks-meta-llama-3-1-8b-instruct";
const CHUNK = FOUNDATION_CATALOGUE[LLAMA_8B]!.throughputChunkSize;

function entity(fields: Partial<StoredServedEntity>): StoredServedEntity {
  return {
    name: "pt",
    entity_name: "system.ai.meta_llama_v3_1_8b_instruct",
    entity_version: "1",
    creator: "u",
    creation_timestamp: 0,
    state: { deployment: "DEPLOYMENT_CREATING", deployment_state_message: "" },
    ...fields,
  };
}

function config(...entities: StoredServedEntity[]): StoredConfig {
  return { served_entities: entities, traffic_config: { routes: [] }, config_version: 1 };
}

function refusal(c: StoredConfig): string {
  try {
    checkProvisionedBands(c);
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).status).toBe(400);
    return (e as ApiError).message;
  }
  throw new Error("accepted");
}

describe("provisioned bands", () => {
  it("accept multiples of the model's chunk size, the band being max or model units × chunk", () => {
    const band = entity({ min_provisioned_throughput: 0, max_provisioned_throughput: 3 * CHUNK });
    expect(() => checkProvisionedBands(config(band))).not.toThrow();
    expect(bandOf(band)).toEqual({ model: LLAMA_8B, tokensPerSecond: 3 * CHUNK });
    expect(bandOf(entity({ provisioned_model_units: 2 }))).toEqual({ model: LLAMA_8B, tokensPerSecond: 2 * CHUNK });
    // Two entities on one model reserve both their bands.
    const second = entity({ name: "pt2", provisioned_model_units: 1 });
    expect(bandsOf(config(band, second))).toEqual(new Map([[LLAMA_8B, 4 * CHUNK]]));
  });

  it("refuse a band off the chunk size with a 400 naming the chunk and the nearest valid bands", () => {
    const message = refusal(config(entity({ max_provisioned_throughput: CHUNK + 1 })));
    expect(message).toContain(`'max_provisioned_throughput': ${CHUNK + 1} tokens/s is not a multiple`);
    expect(message).toContain(`(${CHUNK} tokens/s); use ${CHUNK} or ${2 * CHUNK}`);
    expect(refusal(config(entity({ min_provisioned_throughput: 1, max_provisioned_throughput: CHUNK })))).toContain(
      "'min_provisioned_throughput'",
    );
  });

  it("refuse min above max, a zero band, no band, an unknown version, and a band on another system.ai model", () => {
    expect(
      refusal(config(entity({ min_provisioned_throughput: 2 * CHUNK, max_provisioned_throughput: CHUNK }))),
    ).toMatch(/above max_provisioned_throughput/);
    expect(refusal(config(entity({ max_provisioned_throughput: 0 })))).toMatch(/must be above 0/);
    expect(refusal(config(entity({})))).toMatch(/give max_provisioned_throughput or provisioned_model_units/);
    expect(refusal(config(entity({ entity_version: "7", provisioned_model_units: 1 })))).toMatch(
      /'entity_version'.* not '7'/,
    );
    const encoder = entity({ entity_name: "system.ai.universal_sentence_encoder", max_provisioned_throughput: 100 });
    expect(refusal(config(encoder))).toMatch(/not a Foundation Model API model, so it cannot be provisioned/);
  });

  it("leave other entities alone: the built-in encoder without a band is not provisioned", () => {
    const encoder = entity({ entity_name: "system.ai.universal_sentence_encoder" });
    expect(() => checkProvisionedBands(config(encoder))).not.toThrow();
    expect(isProvisionedEntity(encoder)).toBe(false);
    expect(isProvisionedEntity(entity({}))).toBe(true);
    expect(bandsOf(config(encoder)).size).toBe(0);
  });
});
