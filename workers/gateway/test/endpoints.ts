import { expect } from "vitest";
import { call } from "./client";

const UPSTREAM = "https://upstream.test/v1";

/** A chat endpoint backed by an OpenAI-compatible upstream (provider `custom`). */
export function customChatEndpoint(name: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    config: {
      served_entities: [
        {
          name: "primary",
          external_model: {
            name: "gpt-test",
            provider: "custom",
            task: "llm/v1/chat",
            custom_provider_config: {
              custom_provider_url: UPSTREAM,
              bearer_token_auth: { token_plaintext: "sk-upstream-secret-123" },
            },
          },
        },
      ],
    },
    ...extra,
  };
}

/** Polls GET until the endpoint's config update is finished (the queue consumer deploys asynchronously). */
export async function waitUntilSettled(name: string, token?: string, timeoutMs = 15_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call("GET", `/api/2.0/serving-endpoints/${name}`, token ? { token } : {});
    expect(res.status).toBe(200);
    if (res.json.state.config_update !== "IN_PROGRESS") return res.json;
    if (Date.now() > deadline) throw new Error(`endpoint ${name} still IN_PROGRESS after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function createReadyEndpoint(body: Record<string, unknown>, token?: string): Promise<any> {
  const res = await call("POST", "/api/2.0/serving-endpoints", { body, ...(token ? { token } : {}) });
  expect(res.status, res.text).toBe(200);
  const settled = await waitUntilSettled(body.name as string, token);
  expect(settled.state).toEqual({ ready: "READY", config_update: "NOT_UPDATING" });
  return settled;
}
