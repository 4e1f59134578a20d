import { describe, expect, it } from "vitest";
import { z } from "zod";
import { expectValidOpenApi31 } from "./assert-valid-openapi";
import { buildEndpointQueryOpenApi } from "./endpoint-query";

type Json = Record<string, any>;

describe("buildEndpointQueryOpenApi", () => {
  it("describes a chat endpoint's invocations, per entity, with the chat schemas", async () => {
    const doc = buildEndpointQueryOpenApi(
      { name: "chat-ep", task: "llm/v1/chat", servedEntityNames: ["gpt-a", "gpt-b"] },
      "https://gw.example",
    ) as Json;
    await expectValidOpenApi31(doc);
    expect(doc.servers).toEqual([{ url: "https://gw.example" }]);
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/serving-endpoints/chat-ep/invocations",
      "/serving-endpoints/chat-ep/served-models/gpt-a/invocations",
      "/serving-endpoints/chat-ep/served-models/gpt-b/invocations",
    ]);
    const op = doc.paths["/serving-endpoints/chat-ep/invocations"].post;
    expect(op.requestBody.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/ChatRequest" });
    expect(op.responses["200"].content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/ChatResponse",
    });
    expect(op.responses["200"].content).toHaveProperty("text/event-stream");
    expect(doc.components.schemas.ChatRequest.required).toContain("messages");
    expect(doc.components.schemas).not.toHaveProperty("ScoringRequest");
  });

  it.each(["llm/v1/completions", "llm/v1/embeddings"])("uses the %s schemas", async (task) => {
    const doc = buildEndpointQueryOpenApi({ name: "ep", task, servedEntityNames: ["m"] }) as Json;
    await expectValidOpenApi31(doc);
    expect(doc).not.toHaveProperty("servers");
    const name = task.endsWith("completions") ? "Completions" : "Embeddings";
    const op = doc.paths["/serving-endpoints/ep/served-models/m/invocations"].post;
    expect(op.requestBody.content["application/json"].schema.$ref).toBe(`#/components/schemas/${name}Request`);
  });

  it.each([null, undefined, "some/unknown-task"])("uses the MLflow scoring protocol for task %s", async (task) => {
    const doc = buildEndpointQueryOpenApi({ name: "custom", task, servedEntityNames: ["model-1"] }) as Json;
    await expectValidOpenApi31(doc);
    const scoring = doc.components.schemas.ScoringRequest;
    expect(scoring.oneOf).toHaveLength(4);
    const inputFields = scoring.oneOf.map((alt: Json) => alt.required);
    expect(inputFields).toEqual([["dataframe_split"], ["dataframe_records"], ["instances"], ["inputs"]]);
    for (const alt of scoring.oneOf) {
      expect(alt.additionalProperties).toBe(false);
      expect(alt.properties).toHaveProperty("params");
    }
    expect(doc.components.schemas.ScoringResponse.required).toEqual(["predictions"]);
  });

  it("the scoring schema accepts exactly one input field", async () => {
    const { scoringRequest } = await import("./scoring");
    const ok = (body: unknown) => z.safeParse(scoringRequest, body).success;
    expect(ok({ dataframe_split: { columns: ["a"], data: [[1]] } })).toBe(true);
    expect(ok({ inputs: [1, 2], params: { k: 1 } })).toBe(true);
    expect(ok({ inputs: [1], instances: [1] })).toBe(false);
    expect(ok({ params: {} })).toBe(false);
  });

  it("hands out independent documents", () => {
    const a = buildEndpointQueryOpenApi({ name: "a", task: "llm/v1/chat", servedEntityNames: [] }) as Json;
    a.components.schemas.ChatRequest = "mutated";
    const b = buildEndpointQueryOpenApi({ name: "b", task: "llm/v1/chat", servedEntityNames: [] }) as Json;
    expect(b.components.schemas.ChatRequest).toHaveProperty("type", "object");
  });
});
