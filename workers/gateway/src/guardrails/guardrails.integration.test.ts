import { env } from "cloudflare:workers";
import { openDatabase, usageRecords } from "@edgeserve/db";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { call } from "../../test/client";
import { createReadyEndpoint, customChatEndpoint } from "../../test/endpoints";
import { type FakeModels, fakeModels, readStream } from "./testing/fake-models";

function endpointAt(name: string, url: string, task: string) {
  const body = customChatEndpoint(name);
  body.config.served_entities[0]!.external_model.custom_provider_config.custom_provider_url = url;
  body.config.served_entities[0]!.external_model.task = task;
  return body;
}

async function setGuardrails(guardrails: Record<string, unknown>) {
  const res = await call("PUT", "/api/2.0/serving-endpoints/g-chat/ai-gateway", { body: { guardrails } });
  expect(res.status, res.text).toBe(200);
}

const chat = (content: string, stream = false) =>
  call("POST", "/serving-endpoints/g-chat/invocations", {
    body: { messages: [{ role: "user", content }], ...(stream ? { stream: true } : {}) },
  });

let models: FakeModels;
let logs: string[];
beforeAll(async () => {
  await createReadyEndpoint(customChatEndpoint("g-chat"));
  await createReadyEndpoint(endpointAt("guard", "https://guard.test/v1", "llm/v1/chat"));
  await createReadyEndpoint(endpointAt("embeddings", "https://embed.test/v1", "llm/v1/embeddings"));
});
beforeEach(() => {
  models = fakeModels();
  logs = [];
  vi.spyOn(console, "log").mockImplementation((line: unknown) => void logs.push(String(line)));
});
afterEach(() => {
  models.restore();
  vi.restoreAllMocks();
});

const PII_BLOCK = { pii: { behavior: "BLOCK" } };
const PII_MASK = { pii: { behavior: "MASK" } };

describe("input guardrails", () => {
  it.each([
    [
      "an email",
      PII_BLOCK,
      "write to jane.doe@example.com",
      "Input blocked by guardrail 'pii': found an email address.",
    ],
    [
      "a card that passes Luhn",
      PII_BLOCK,
      "my card is 4111 1111 1111 1111",
      "Input blocked by guardrail 'pii': found a credit card number.",
    ],
    ["an SSN", PII_BLOCK, "ssn 123-45-6789", "Input blocked by guardrail 'pii': found a US social security number."],
    ["an IBAN", PII_BLOCK, "pay DE89 3704 0044 0532 0130 00", "Input blocked by guardrail 'pii': found an IBAN."],
    ["an IPv6 address", PII_BLOCK, "connect to 2001:db8::1", "Input blocked by guardrail 'pii': found an IP address."],
    ["a phone number", PII_BLOCK, "call +44 20 7946 0958", "Input blocked by guardrail 'pii': found a phone number."],
    [
      "a keyword, any case",
      { invalid_keywords: ["project x"] },
      "Tell me about PROJECT X.",
      "Input blocked by guardrail 'invalid_keywords': found the keyword 'project x'.",
    ],
    [
      "an unsafe request",
      { safety: true, safety_endpoint_name: "guard" },
      "how do I build a weapon",
      "Input blocked by guardrail 'safety': the safety classifier 'guard' judged it unsafe.",
    ],
    [
      "an off-topic request",
      { valid_topics: ["cooking recipes", "soup"] },
      "book me a flight and a hotel",
      "Input blocked by guardrail 'valid_topics'",
    ],
  ])("BLOCK: %s → 400, nothing sent to the model", async (_name, input, content, message) => {
    await setGuardrails({ input });
    const res = await chat(content);
    expect(res.status, res.text).toBe(400);
    expect(res.json.error_code).toBe("INVALID_PARAMETER_VALUE");
    expect(res.json.message).toContain(message);
    expect(models.chatCalls).toHaveLength(0);
    // Logged as blocked, without the offending text.
    const line = logs.map((l) => JSON.parse(l)).find((l) => l.type === "guardrail");
    expect(line).toMatchObject({ stage: "input", action: "BLOCK", status: 400, endpointName: "g-chat" });
    // The guarded endpoint's usage record says 400 (the evaluator endpoints record their own usage).
    const requestId = res.headers.get("x-request-id")!;
    const usage = await vi.waitFor(
      async () => {
        const [row] = await openDatabase(env.DB)
          .select()
          .from(usageRecords)
          .where(and(eq(usageRecords.requestId, requestId), eq(usageRecords.endpointName, "g-chat")));
        expect(row).toBeDefined();
        return row!;
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(usage).toMatchObject({ status: 400, promptTokens: 0 });
    expect(logs.join("\n")).not.toContain(content);
  });

  it("a blocked query's usage record keeps its client_request_id and usage_context", async () => {
    await setGuardrails({ input: PII_BLOCK });
    const body = {
      messages: [{ role: "user", content: "write to jane.doe@example.com" }],
      client_request_id: "blocked-1",
      usage_context: { team: "ml" },
    };
    const res = await call("POST", "/serving-endpoints/g-chat/invocations", { body });
    expect(res.status, res.text).toBe(400);
    const requestId = res.headers.get("x-request-id")!;
    const usage = await vi.waitFor(
      async () => {
        const db = openDatabase(env.DB);
        const [row] = await db.select().from(usageRecords).where(eq(usageRecords.requestId, requestId));
        expect(row).toBeDefined();
        return row!;
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(usage).toMatchObject({ status: 400, clientRequestId: "blocked-1", usageContext: { team: "ml" } });
  });

  it.each([
    ["a random 16-digit number (fails Luhn)", PII_BLOCK, "order 1234567812345678"],
    ["an IBAN with a bad checksum", PII_BLOCK, "ref DE89370400440532013001"],
    ["a word containing the keyword", { invalid_keywords: ["bomb"] }, "a bombastic speech"],
    ["a safe request", { safety: true, safety_endpoint_name: "guard" }, "how do I bake bread"],
    ["an on-topic request", { valid_topics: ["cooking recipes", "soup"] }, "a pasta recipe please"],
  ])("passes %s unchanged", async (_name, input, content) => {
    await setGuardrails({ input });
    const res = await chat(content);
    expect(res.status, res.text).toBe(200);
    expect(models.chatCalls[0].messages).toEqual([{ role: "user", content }]);
  });

  it.each([
    ["email and phone", "mail jane@example.com or call (213) 373-4253", "mail [EMAIL] or call [PHONE_NUMBER]"],
    [
      "card, SSN and IP",
      "card 5555-5555-5555-4444, ssn 123-45-6789, host 10.0.0.7",
      "card [CREDIT_CARD], ssn [SSN], host [IP_ADDRESS]",
    ],
  ])("MASK: %s is masked before the model sees it", async (_name, content, masked) => {
    await setGuardrails({ input: PII_MASK });
    const res = await chat(content);
    expect(res.status, res.text).toBe(200);
    expect(models.chatCalls[0].messages).toEqual([{ role: "user", content: masked }]);
    expect(logs.map((l) => JSON.parse(l)).find((l) => l.type === "guardrail")).toMatchObject({
      stage: "input",
      action: "MASK",
      guardrail: "pii",
    });
  });

  it("masks PII before the safety classifier sees the text", async () => {
    await setGuardrails({ input: { ...PII_MASK, safety: true, safety_endpoint_name: "guard" } });
    const res = await chat("I am jane@example.com");
    expect(res.status, res.text).toBe(200);
    expect(JSON.stringify(models.safetyCalls)).not.toContain("jane@example.com");
    expect(JSON.stringify(models.safetyCalls)).toContain("[EMAIL]");
  });

  it("masks text parts and completions prompts too (OpenAI-compatible route)", async () => {
    await setGuardrails({ input: PII_MASK });
    const res = await call("POST", "/serving-endpoints/chat/completions", {
      body: { model: "g-chat", messages: [{ role: "user", content: [{ type: "text", text: "ip 192.168.1.1" }] }] },
    });
    expect(res.status, res.text).toBe(200);
    expect(models.chatCalls[0].messages[0].content).toEqual([{ type: "text", text: "ip [IP_ADDRESS]" }]);
  });

  it("embeds each topic once per isolate", async () => {
    await setGuardrails({ input: { valid_topics: ["soup of the day"] } });
    expect((await chat("a soup recipe")).status).toBe(200);
    expect((await chat("another soup")).status).toBe(200);
    expect(models.embeddingCalls.map((c) => c.input)).toEqual([["a soup recipe", "soup of the day"], ["another soup"]]);
  });

  it("fails closed when the named safety classifier is deleted after it was set", async () => {
    await createReadyEndpoint(endpointAt("no-such-guard", "https://guard.test/v1", "llm/v1/chat"));
    await setGuardrails({ input: { safety: true, safety_endpoint_name: "no-such-guard" } });
    expect((await call("DELETE", "/api/2.0/serving-endpoints/no-such-guard")).status).toBe(200);
    const res = await chat("hello");
    expect(res.status).toBe(400);
    expect(res.json.error_code).toBe("INVALID_STATE");
    expect(res.json.message).toContain("Guardrail 'safety' needs the serving endpoint 'no-such-guard'");
    expect(models.chatCalls).toHaveLength(0);
  });

  it("rejects an unknown guardrail field with a 400 naming it", async () => {
    const res = await call("PUT", "/api/2.0/serving-endpoints/g-chat/ai-gateway", {
      body: { guardrails: { input: { pii: { behavior: "REDACT" } } } },
    });
    expect(res.status).toBe(400);
    expect(res.json.message).toContain("behavior");
  });
});

describe("output guardrails", () => {
  const cases: [string, Record<string, unknown>, string[], { content?: string; blocked?: string }][] = [
    [
      "MASK an email split across chunks",
      PII_MASK,
      ["Contact ja", "ne@exam", "ple.com today"],
      { content: "Contact [EMAIL] today" },
    ],
    [
      "MASK a card split inside a group",
      PII_MASK,
      ["Card 4111 11", "11 1111 1111", " works"],
      { content: "Card [CREDIT_CARD] works" },
    ],
    ["MASK an IBAN at the end", PII_MASK, ["IBAN: GB82 WEST ", "1234 5698 7654 32"], { content: "IBAN: [IBAN]" }],
    ["pass clean text", PII_MASK, ["Hel", "lo"], { content: "Hello" }],
    [
      "BLOCK an SSN",
      PII_BLOCK,
      ["Your SSN is 123-", "45-6789."],
      { blocked: "Output blocked by guardrail 'pii': found a US social security number." },
    ],
    [
      "BLOCK a keyword",
      { invalid_keywords: ["launch codes"] },
      ["The launch ", "codes are secret"],
      { blocked: "Output blocked by guardrail 'invalid_keywords': found the keyword 'launch codes'." },
    ],
    [
      "BLOCK unsafe text",
      { safety: true, safety_endpoint_name: "guard" },
      ["Here is how to make a wea", "pon"],
      { blocked: "Output blocked by guardrail 'safety'" },
    ],
    [
      "BLOCK off-topic text",
      { valid_topics: ["cooking"] },
      ["Try the bank ", "loan"],
      { blocked: "Output blocked by guardrail 'valid_topics'" },
    ],
  ];

  it.each(cases)("plain: %s", async (_name, output, reply, expected) => {
    await setGuardrails({ output });
    models.reply = reply;
    const res = await chat("hi");
    if (expected.blocked) {
      expect(res.status, res.text).toBe(400);
      expect(res.json.error_code).toBe("INVALID_PARAMETER_VALUE");
      expect(res.json.message).toContain(expected.blocked);
      expect(logs.map((l) => JSON.parse(l)).find((l) => l.type === "guardrail")).toMatchObject({
        stage: "output",
        action: "BLOCK",
        status: 400,
      });
    } else {
      expect(res.status, res.text).toBe(200);
      expect(res.json.choices[0].message.content).toBe(expected.content);
    }
  });

  it.each(cases)("streamed: %s", async (_name, output, reply, expected) => {
    await setGuardrails({ output });
    models.reply = reply;
    const res = await chat("hi", true);
    expect(res.status).toBe(200);
    const stream = readStream(res.text);
    if (expected.blocked) {
      expect(stream.error.error_code).toBe("INVALID_PARAMETER_VALUE");
      expect(stream.error.message).toContain(expected.blocked);
      expect(stream.done).toBe(false);
      // Nothing of the blocked text got out before the error.
      expect(reply.join("")).toContain(stream.content);
      expect(stream.content.length).toBeLessThan(reply.join("").length);
      expect(logs.map((l) => JSON.parse(l)).find((l) => l.type === "guardrail")).toMatchObject({
        stage: "output",
        action: "BLOCK",
      });
    } else {
      expect(stream.error).toBeNull();
      expect(stream.content).toBe(expected.content);
      expect(stream.done).toBe(true);
      expect(res.text).toContain('"finish_reason":"stop"');
    }
  });

  it("streams a long answer before it ends when only pattern guardrails are on", async () => {
    await setGuardrails({ output: PII_MASK });
    const words = Array.from({ length: 100 }, (_, i) => `word${i} `);
    models.reply = words;
    const res = await chat("hi", true);
    const contentEvents = res.text.split("\n").filter((l) => l.includes('"content":"word'));
    expect(contentEvents.length).toBeGreaterThan(2);
    expect(readStream(res.text).content).toBe(words.join(""));
  });

  it("turns an Anthropic-format stream's block into an Anthropic error event", async () => {
    await setGuardrails({ output: PII_BLOCK });
    models.reply = ["mail me at a@b.io", " ok"];
    const res = await call("POST", "/serving-endpoints/anthropic/v1/messages", {
      body: { model: "g-chat", max_tokens: 10, stream: true, messages: [{ role: "user", content: "hi" }] },
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain("event: error");
    expect(res.text).toContain("Output blocked by guardrail 'pii'");
    expect(res.text).not.toContain("a@b.io");
  });

  it("leaves embeddings answers alone", async () => {
    const put = await call("PUT", "/api/2.0/serving-endpoints/embeddings/ai-gateway", {
      body: { guardrails: { output: PII_BLOCK } },
    });
    expect(put.status).toBe(200);
    const res = await call("POST", "/serving-endpoints/embeddings/invocations", { body: { input: ["a soup"] } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.data[0].embedding).toHaveLength(9);
  });
});
