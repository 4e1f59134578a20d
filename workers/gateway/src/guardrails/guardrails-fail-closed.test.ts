import { afterEach, describe, expect, it } from "vitest";
import { call } from "../../test/client";
import { createReadyEndpoint, customChatEndpoint } from "../../test/endpoints";
import { type FakeModels, fakeModels } from "./testing/fake-models";

// Its own file: D1 is per test file, so here no endpoint named `embeddings` exists.
let models: FakeModels | null = null;
afterEach(() => models?.restore());

describe("valid_topics without an embeddings endpoint", () => {
  it("fails closed with a clear error and sends nothing to the model", async () => {
    await createReadyEndpoint(customChatEndpoint("t-chat"));
    const put = await call("PUT", "/api/2.0/serving-endpoints/t-chat/ai-gateway", { body: { guardrails: { input: { valid_topics: ["cooking"] } } } });
    expect(put.status, put.text).toBe(200);
    models = fakeModels();
    const res = await call("POST", "/serving-endpoints/t-chat/invocations", { body: { messages: [{ role: "user", content: "pasta" }] } });
    expect(res.status).toBe(400);
    expect(res.json.error_code).toBe("INVALID_STATE");
    expect(res.json.message).toBe("Guardrail 'valid_topics' needs the serving endpoint 'embeddings', which does not exist or has no ready config; the query was not served.");
    expect(models.chatCalls).toHaveLength(0);
  });

  it("fails closed when safety is on but names no classifier", async () => {
    await createReadyEndpoint(customChatEndpoint("s-chat"));
    const put = await call("PUT", "/api/2.0/serving-endpoints/s-chat/ai-gateway", { body: { guardrails: { output: { safety: true } } } });
    expect(put.status, put.text).toBe(200);
    models = fakeModels();
    const res = await call("POST", "/serving-endpoints/s-chat/invocations", { body: { messages: [{ role: "user", content: "hi" }] } });
    expect(res.status).toBe(400);
    expect(res.json.message).toContain("Guardrail 'safety' is enabled but names no classifier");
  });
});
