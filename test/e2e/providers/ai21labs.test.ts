/**
 * Provider `ai21labs` end to end against test/mocks/providers/ai21labs.ts (AI21 Studio's Jamba chat
 * completions). Completions are served by chat; AI21 offers no embeddings.
 */
import crypto from "node:crypto";
import { expect, it } from "vitest";
import { api, waitUntilSettled } from "../helpers";
import { openAiFormatSuite, WEATHER_TOOL } from "./_openai-format-suite";

const key = `ai21-e2e-${crypto.randomBytes(8).toString("hex")}`;

openAiFormatSuite({
  label: "ai21labs",
  mockKey: "ai21labs",
  modelPrefix: "jamba",
  externalModel: (model) => ({
    name: model,
    provider: "ai21labs",
    ai21labs_config: { ai21labs_api_key_plaintext: key },
  }),
  isFor: (r, model) => r.body?.model === model,
  checkRequest(r) {
    expect(r.url).toBe("/studio/v1/chat/completions");
    expect(r.headers.authorization).toBe(`Bearer ${key}`);
    expect(r.body).not.toHaveProperty("stream_options");
    expect(r.status).toBe(200);
  },
  completions: true,
  embeddings: false,
  injectsStreamUsage: false,
  extra(ctx) {
    const query = (body: Record<string, unknown>) =>
      api("POST", `/serving-endpoints/${ctx.endpoint("chat")}/invocations`, { body });

    it("what AI21 lacks is a 400 naming it, and nothing is sent", async () => {
      const before = (await ctx.received(() => true)).length;
      for (const [body, message] of [
        [{ messages: [{ role: "user", content: "x" }], top_k: 3 }, "ai21labs does not support 'top_k'"],
        [
          { messages: [{ role: "user", content: "x" }], presence_penalty: 1 },
          "ai21labs does not support 'presence_penalty'",
        ],
        [
          { messages: [{ role: "user", content: "x" }], tools: [WEATHER_TOOL], tool_choice: "required" },
          "ai21labs does not support tool_choice",
        ],
        [
          {
            messages: [{ role: "user", content: "x" }],
            response_format: { type: "json_schema", json_schema: { name: "x", schema: {} } },
          },
          "json_schema",
        ],
        [{ messages: [{ role: "user", content: "x" }], stream: true, n: 2 }, "n > 1 when streaming"],
      ] as const) {
        const r = await query(body);
        expect(r.status, r.text).toBe(400);
        expect(r.body.message).toContain(message);
      }
      expect((await ctx.received(() => true)).length).toBe(before);
    });

    it("multi-part text content is joined, JSON mode and n are forwarded", async () => {
      const res = await ctx.openai().chat.completions.create({
        model: ctx.endpoint("chat"),
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "part one, " },
              { type: "text", text: "part two" },
            ],
          },
        ],
        response_format: { type: "json_object" },
        n: 2,
        stop: "END",
      });
      expect(res.choices).toHaveLength(2);
      expect(res.choices[0]!.message.content).toBe("Echo: part one, part two");
      const sent = (await ctx.received((r) => r.body?.model === ctx.model("chat"))).at(-1)!;
      expect(sent.body).toMatchObject({
        messages: [{ role: "user", content: "part one, part two" }],
        response_format: { type: "json_object" },
        n: 2,
        stop: ["END"],
      });
    });

    it("a validation error of AI21 (422) → 400 with its message", async () => {
      const r = await query({ messages: [{ role: "user", content: "x" }], extra_params: { temperature: 5 } });
      expect(r.status, r.text).toBe(400);
      expect(r.body.message).toContain("temperature: Input should be less than or equal to 2");
    });

    it("an embeddings endpoint never goes READY: AI21 offers no embeddings, and the deployment says so", async () => {
      const name = await ctx.createEndpoint("llm/v1/embeddings", {
        name: "jamba-embed",
        provider: "ai21labs",
        ai21labs_config: { ai21labs_api_key_plaintext: key },
      });
      const settled = await waitUntilSettled(name);
      expect(settled.state).toEqual({ ready: "NOT_READY", config_update: "UPDATE_FAILED" });
      expect(settled.pending_config.served_entities[0].state).toEqual({
        deployment: "DEPLOYMENT_FAILED",
        deployment_state_message: "ai21labs does not offer embeddings: serve llm/v1/embeddings with another provider.",
      });
      const logs = await api("GET", `/api/2.0/serving-endpoints/${name}/served-models/upstream/build-logs`);
      expect(logs.body.logs).toContain("ERROR ai21labs does not offer embeddings");
      const r = await api("POST", `/serving-endpoints/${name}/invocations`, { body: { input: "x" } });
      expect(r.status).toBe(400);
      expect(r.body.error_code).toBe("INVALID_STATE");
    });
  },
});
