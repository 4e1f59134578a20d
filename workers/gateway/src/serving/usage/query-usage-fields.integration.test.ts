import { env } from "cloudflare:workers";
import { MAX_CLIENT_REQUEST_ID_LENGTH, MAX_USAGE_CONTEXT_BYTES } from "@edgeserve/api";
import { openDatabase, usageRecords } from "@edgeserve/db";
import { eq } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { call } from "../../../test/client";
import { clearInferenceCalls, inferenceCalls, serveCustomModels, storeTestModel } from "../../../test/custom-models";
import { createReadyEndpoint, customChatEndpoint } from "../../../test/endpoints";
import { fakeOpenAiUpstream } from "../../../test/fake-upstream";

/**
 * `client_request_id` and `usage_context` are recorded with every query (usage records, payload logs), so
 * they are bounded on every query route: over the bound is a 400 naming the field, before any upstream or
 * model runs; within it the record lands with them.
 */

const MODEL = `flavors:
  onnx:
    data: model.onnx
signature:
  inputs: '[{"type": "double", "name": "length", "required": true}]'
`;

let upstream: ReturnType<typeof fakeOpenAiUpstream> | null = null;
afterEach(() => {
  upstream?.restore();
  upstream = null;
});

beforeAll(async () => {
  await createReadyEndpoint(customChatEndpoint("bounds-chat"));
  await storeTestModel("main.ml.bounds", "1", MODEL);
  await serveCustomModels("bounds-model", [{ name: "m", entity_name: "main.ml.bounds", entity_version: "1" }]);
});
beforeEach(clearInferenceCalls);

/** A usage_context whose JSON is exactly `bytes` long. */
function usageContextOf(bytes: number): Record<string, string> {
  const overhead = JSON.stringify({ note: "" }).length;
  return { note: "x".repeat(bytes - overhead) };
}

const chat = { messages: [{ role: "user", content: "hi" }] };
const scoring = { dataframe_records: [{ length: 1.5 }] };

const routes = [
  { name: "Databricks invocations (LLM)", path: "/serving-endpoints/bounds-chat/invocations", body: chat },
  {
    name: "OpenAI-compatible chat",
    path: "/serving-endpoints/chat/completions",
    body: { ...chat, model: "bounds-chat" },
  },
  { name: "Databricks invocations (custom model)", path: "/serving-endpoints/bounds-model/invocations", body: scoring },
  {
    name: "served-model invocations (custom model)",
    path: "/serving-endpoints/bounds-model/served-models/m/invocations",
    body: scoring,
  },
];

describe("bounds of the recorded query fields", () => {
  for (const route of routes) {
    it(`refuses an oversized usage_context or client_request_id on ${route.name}, calling nothing`, async () => {
      upstream = fakeOpenAiUpstream();
      const tooLong = await call("POST", route.path, {
        body: { ...route.body, client_request_id: "r".repeat(MAX_CLIENT_REQUEST_ID_LENGTH + 1) },
      });
      expect(tooLong.status, tooLong.text).toBe(400);
      expect(tooLong.json).toMatchObject({
        error_code: "INVALID_PARAMETER_VALUE",
        message: expect.stringContaining("'client_request_id'"),
      });

      const tooBig = await call("POST", route.path, {
        body: { ...route.body, usage_context: usageContextOf(MAX_USAGE_CONTEXT_BYTES + 1) },
      });
      expect(tooBig.status, tooBig.text).toBe(400);
      expect(tooBig.json.error_code).toBe("INVALID_PARAMETER_VALUE");
      expect(tooBig.json.message).toContain("'usage_context'");
      expect(tooBig.json.message).toContain(`${MAX_USAGE_CONTEXT_BYTES} bytes`);

      const notAnObject = await call("POST", route.path, { body: { ...route.body, usage_context: "team-a" } });
      expect(notAnObject.status, notAnObject.text).toBe(400);
      expect(notAnObject.json.message).toContain("'usage_context'");

      expect(upstream.calls).toHaveLength(0);
      expect(await inferenceCalls()).toHaveLength(0);
    });
  }

  it("records a query whose fields are at their bounds, as sent", async () => {
    upstream = fakeOpenAiUpstream();
    const clientRequestId = "c".repeat(MAX_CLIENT_REQUEST_ID_LENGTH);
    const usageContext = usageContextOf(MAX_USAGE_CONTEXT_BYTES);
    const res = await call("POST", "/serving-endpoints/bounds-chat/invocations", {
      body: { ...chat, client_request_id: clientRequestId, usage_context: usageContext },
    });
    expect(res.status, res.text).toBe(200);
    const model = await call("POST", "/serving-endpoints/bounds-model/invocations", {
      body: { ...scoring, client_request_id: "model-call", usage_context: usageContext },
    });
    expect(model.status, model.text).toBe(200);

    const db = openDatabase(env.DB);
    const rows = await vi.waitFor(
      async () => {
        const chatRows = await db.select().from(usageRecords).where(eq(usageRecords.endpointName, "bounds-chat"));
        const modelRows = await db.select().from(usageRecords).where(eq(usageRecords.endpointName, "bounds-model"));
        expect(chatRows).toHaveLength(1);
        expect(modelRows).toHaveLength(1);
        return [...chatRows, ...modelRows];
      },
      { timeout: 15_000, interval: 200 },
    );
    expect(rows[0]).toMatchObject({ clientRequestId, usageContext });
    expect(rows[1]).toMatchObject({ clientRequestId: "model-call", usageContext });
  });
});
