import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ADMIN_TOKEN, call } from "../../test/client";
import { createReadyEndpoint, customChatEndpoint } from "../../test/endpoints";
import { chatChunkEvent } from "../../test/fake-upstream";
import { createUserWithToken } from "../../test/principals";

// What every payload record, response, service-log line and worker log line of this file must never hold.
const EMAIL = "jane.doe@example.com";
const PHONE = "+44 20 7946 0958";
const ANSWER_EMAIL = "bob.smith@example.org";
const PROVIDER_KEY = "sk-upstream-secret-123";
const PROMPT = `Hello, I am ${EMAIL}, call me on ${PHONE}.`;
let dora: { id: string; token: string };
const secrets = () => [EMAIL, PHONE, ANSWER_EMAIL, PROVIDER_KEY, ADMIN_TOKEN, dora.token];

/**
 * An OpenAI-compatible upstream that checks what it receives and answers by a marker in the prompt it
 * got: `ECHO-400` / `ECHO-500` fail with a message quoting the key it was sent and the prompt (as some
 * providers and proxies do); otherwise an answer holding an email address, streamed when asked.
 */
function echoingUpstream() {
  const prompts: string[] = [];
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const body = (await request.json()) as any;
    if (body.model !== "gpt-test" || !Array.isArray(body.messages))
      return Response.json({ error: { message: "bad request" } }, { status: 400 });
    const prompt = body.messages.map((m: any) => m.content).join("\n");
    prompts.push(prompt);
    for (const status of [400, 500]) {
      if (prompt.includes(`ECHO-${status}`))
        return Response.json(
          {
            error: {
              message: `Rejected key '${request.headers.get("authorization")}' for prompt '${prompt}'`,
              type: "invalid_request_error",
            },
          },
          { status },
        );
    }
    const answer = `Sure, write to ${ANSWER_EMAIL} today.`;
    if (!body.stream)
      return Response.json({
        id: "c1",
        object: "chat.completion",
        created: 1,
        model: body.model,
        choices: [{ index: 0, message: { role: "assistant", content: answer }, finish_reason: "stop" }],
      });
    // The address is split across chunks: masking in flight must hold it back until it is whole.
    const pieces = [answer.slice(0, 20), answer.slice(20)];
    const chunk = (delta: object, finish: string | null) => chatChunkEvent(body.model, delta, finish);
    const events = [
      chunk({ role: "assistant", content: pieces[0] }, null),
      chunk({ content: pieces[1] }, null),
      chunk({}, "stop"),
      "data: [DONE]\n\n",
    ];
    return new Response(events.join(""), { headers: { "content-type": "text/event-stream" } });
  });
  return { prompts, restore: () => spy.mockRestore() };
}

function loggedEndpoint(name: string, guardrails: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return customChatEndpoint(name, {
    ai_gateway: {
      inference_table_config: { catalog_name: "main", schema_name: "logs", enabled: true },
      guardrails,
      ...extra,
    },
  });
}

/** Polls the read API until the record of `requestId` is there (the queue consumer writes it asynchronously). */
async function loggedRecord(name: string, requestId: string, timeoutMs = 20_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call(
      "GET",
      `/api/2.0/serving-endpoints/${name}/payload-logs?start_time=${since}&max_results=1000`,
    );
    expect(res.status, res.text).toBe(200);
    const found = res.json.payload_logs.find((r: any) => r.databricks_request_id === requestId);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no payload log ${requestId} for ${name}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function expectNoSecrets(where: string, text: string) {
  for (const secret of secrets()) expect(text, `${where} holds '${secret}'`).not.toContain(secret);
}

const since = Date.now() - 1;
let upstream: ReturnType<typeof echoingUpstream>;
let logLines: string[];
beforeAll(async () => {
  dora = await createUserWithToken("dora@example.com");
  const mask = await createReadyEndpoint(
    loggedEndpoint(
      "pm-mask",
      { input: { pii: { behavior: "MASK" }, invalid_keywords: ["project x"] }, output: { pii: { behavior: "MASK" } } },
      {
        rate_limits: [{ calls: 0, key: "user", principal: "dora@example.com", renewal_period: "minute" }],
      },
    ),
  );
  expect(
    (
      await call("PATCH", `/api/2.0/permissions/serving-endpoints/${mask.id}`, {
        body: { access_control_list: [{ user_name: "dora@example.com", permission_level: "CAN_QUERY" }] },
      })
    ).status,
  ).toBe(200);
  await createReadyEndpoint(
    loggedEndpoint("pm-block", { input: { pii: { behavior: "BLOCK" } }, output: { pii: { behavior: "BLOCK" } } }),
  );
});
beforeEach(() => {
  upstream = echoingUpstream();
  logLines = [];
  for (const level of ["log", "info", "warn", "error"] as const)
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logLines.push(args.map(String).join(" ")));
});
afterEach(() => {
  vi.restoreAllMocks();
});

const chat = (content: string, stream = false) => ({
  messages: [{ role: "user", content }],
  ...(stream ? { stream: true } : {}),
});

interface Refusal {
  endpoint: string;
  path: string;
  body: Record<string, unknown>;
  token?: string;
  status: number;
  /** Whether the request got past the input guardrails (then the model saw the masked prompt). */
  sent: boolean;
}

describe("a refused query's payload record holds no raw PII and no secret", () => {
  const refusals: [string, Refusal][] = [
    [
      "429 (a calls budget of 0, refused before the input guardrails)",
      {
        endpoint: "pm-mask",
        path: "/serving-endpoints/pm-mask/invocations",
        body: chat(PROMPT),
        token: "dora",
        status: 429,
        sent: false,
      },
    ],
    [
      "400 wrong task route (embeddings on a chat endpoint)",
      {
        endpoint: "pm-mask",
        path: "/serving-endpoints/embeddings",
        body: { model: "pm-mask", input: PROMPT },
        status: 400,
        sent: false,
      },
    ],
    [
      "404 unknown served entity",
      {
        endpoint: "pm-mask",
        path: "/serving-endpoints/pm-mask/served-models/nope/invocations",
        body: chat(PROMPT),
        status: 404,
        sent: false,
      },
    ],
    [
      "400 blocked by invalid_keywords (pii MASK)",
      {
        endpoint: "pm-mask",
        path: "/serving-endpoints/pm-mask/invocations",
        body: chat(`About project X: ${PROMPT}`),
        status: 400,
        sent: false,
      },
    ],
    [
      "400 blocked by pii BLOCK",
      {
        endpoint: "pm-block",
        path: "/serving-endpoints/pm-block/invocations",
        body: chat(PROMPT),
        status: 400,
        sent: false,
      },
    ],
    [
      "400 wrong task route (pii BLOCK)",
      {
        endpoint: "pm-block",
        path: "/serving-endpoints/completions",
        body: { model: "pm-block", prompt: PROMPT },
        status: 400,
        sent: false,
      },
    ],
    [
      "400 from the provider, echoing its key and the prompt",
      {
        endpoint: "pm-mask",
        path: "/serving-endpoints/pm-mask/invocations",
        body: chat(`ECHO-400 ${PROMPT}`),
        status: 400,
        sent: true,
      },
    ],
    [
      "502 from a provider 500, echoing its key and the prompt",
      {
        endpoint: "pm-mask",
        path: "/serving-endpoints/pm-mask/invocations",
        body: chat(`ECHO-500 ${PROMPT}`),
        status: 502,
        sent: true,
      },
    ],
  ];

  it.each(refusals)("%s", async (_name, refusal) => {
    const requestId = `refused-${crypto.randomUUID()}`;
    const token = refusal.token === "dora" ? dora.token : undefined;
    const res = await call("POST", refusal.path, {
      body: refusal.body,
      headers: { "x-request-id": requestId },
      ...(token ? { token } : {}),
    });
    expect(res.status, res.text).toBe(refusal.status);
    expectNoSecrets("the response", res.text);

    const record = await loggedRecord(refusal.endpoint, requestId);
    expect(record.status_code).toBe(refusal.status);
    expectNoSecrets("the payload record", JSON.stringify(record));
    // The placeholders are there: the request was logged masked, not dropped.
    expect(record.request).toContain("[EMAIL]");
    expect(record.request).toContain("[PHONE_NUMBER]");
    expect(JSON.parse(record.response)).toEqual(res.json);
    // The model saw exactly the masked prompt, or nothing.
    if (refusal.sent) expect(upstream.prompts).toEqual([JSON.parse(record.request).messages[0].content]);
    else expect(upstream.prompts).toEqual([]);

    // The provider's echo of its key is cut out of the client's error, and so of the service log.
    if (refusal.sent) expect(res.json.message).toContain("[REDACTED]");
    const serviceLog = await call("GET", `/api/2.0/serving-endpoints/${refusal.endpoint}/served-models/primary/logs`);
    expectNoSecrets("the service log", serviceLog.text);
    expectNoSecrets("the worker's log", logLines.join("\n"));
  });
});

describe("an answer refused or masked by output guardrails is logged as the client got it", () => {
  it.each([
    ["masked JSON answer", "pm-mask", false, 200],
    ["masked streamed answer (masked in flight)", "pm-mask", true, 200],
    ["JSON answer blocked by pii BLOCK", "pm-block", false, 400],
    ["streamed answer blocked by pii BLOCK", "pm-block", true, 200],
  ] as const)("%s", async (_name, endpoint, stream, status) => {
    const requestId = `output-${crypto.randomUUID()}`;
    const res = await call("POST", `/serving-endpoints/${endpoint}/invocations`, {
      body: chat("Who should I write to?", stream),
      headers: { "x-request-id": requestId },
    });
    expect(res.status, res.text).toBe(status);
    expectNoSecrets("the response", res.text);
    expect(upstream.prompts).toHaveLength(1);

    const record = await loggedRecord(endpoint, requestId);
    expect(record.response).toBe(res.text);
    expectNoSecrets("the payload record", JSON.stringify(record));
    if (endpoint === "pm-mask") expect(record.response).toContain("[EMAIL]");
    else expect(record.response).toContain("Output blocked by guardrail 'pii'");
    expectNoSecrets("the worker's log", logLines.join("\n"));
  });
});
