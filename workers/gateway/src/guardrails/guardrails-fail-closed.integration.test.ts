import { afterEach, describe, expect, it } from "vitest";
import { call } from "../../test/client";
import { createReadyEndpoint, customChatEndpoint } from "../../test/endpoints";
import { type FakeModels, fakeModels } from "./testing/fake-models";

// Its own file: D1 is per test file, so here the `embeddings` endpoint exists only while a test has it.
let models: FakeModels | null = null;
afterEach(() => models?.restore());

describe("valid_topics whose embeddings endpoint is deleted after it was set", () => {
  it("fails closed with a clear error and sends nothing to the model", async () => {
    await createReadyEndpoint(customChatEndpoint("t-chat"));
    const embeddings = customChatEndpoint("embeddings");
    embeddings.config.served_entities[0]!.external_model.task = "llm/v1/embeddings";
    embeddings.config.served_entities[0]!.external_model.custom_provider_config.custom_provider_url =
      "https://embed.test/v1";
    await createReadyEndpoint(embeddings);
    const put = await call("PUT", "/api/2.0/serving-endpoints/t-chat/ai-gateway", {
      body: { guardrails: { input: { valid_topics: ["cooking"] } } },
    });
    expect(put.status, put.text).toBe(200);
    expect((await call("DELETE", "/api/2.0/serving-endpoints/embeddings")).status).toBe(200);
    models = fakeModels();
    const res = await call("POST", "/serving-endpoints/t-chat/invocations", {
      body: { messages: [{ role: "user", content: "pasta" }] },
    });
    expect(res.status).toBe(400);
    expect(res.json.error_code).toBe("INVALID_STATE");
    expect(res.json.message).toBe(
      "Guardrail 'valid_topics' needs the serving endpoint 'embeddings', " +
        "which does not exist or has no ready config; the query was not served.",
    );
    expect(models.chatCalls).toHaveLength(0);
  });
});
