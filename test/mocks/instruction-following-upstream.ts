/**
 * An OpenAI-compatible upstream whose "model" follows the instructions of Edgeserve's SQL task functions
 * (packages/sql/src/batch/requests.ts) by simple deterministic rules, so an e2e test can check every
 * function's result row by row: sentiment from keywords, a label that occurs in the text, `label: value`
 * pairs extracted, a capitalised sentence, masked e-mail addresses, the first words, a language tag.
 * Without a system message it echoes the prompt ("Echo: …"). Embeddings are the deterministic vectors
 * of _openai-wire.ts.
 *
 * Faults, for the batch-inference tests: a model named `…-429every<N>` answers every Nth chat request with
 * 429 and `retry-after: 1` (as OpenAI's rate limiter does); a prompt containing `[[reject]]` is refused
 * with 400 (as a content filter does). Each answer takes `delayMs`, so concurrency shows in `maxInFlight`.
 */
import http from "node:http";
import {
  contentText,
  embeddingFor,
  isObject,
  listenLocally,
  randomId,
  sendJson,
  tokens,
} from "./providers/_openai-wire";

export interface InstructionFollowingUpstream {
  /** Base URL without `/v1`. */
  url: string;
  /** Requests answered (any status), per model. */
  requests: Map<string, number>;
  /** The most requests that were in flight at once, per model. */
  maxInFlight: Map<string, number>;
  /** Chat prompts (last user message) answered 200, per model: each distinct prompt should arrive once. */
  prompts: Map<string, string[]>;
  close(): Promise<void>;
}

const POSITIVE = /\b(great|love|excellent|good|perfect)\b/i;
const NEGATIVE = /\b(bad|terrible|broken|awful|poor)\b/i;

/** What the rules answer to a system instruction and a text. */
function followInstruction(system: string | null, text: string): string {
  if (system === null) return `Echo: ${text}`;
  let m: RegExpExecArray | null;
  if (system.startsWith("Classify the sentiment")) {
    const pos = POSITIVE.test(text);
    const neg = NEGATIVE.test(text);
    return pos && neg ? "mixed" : pos ? "positive" : neg ? "negative" : "neutral";
  }
  if ((m = /^Classify the text into exactly one of these labels: (\[.*?\])\./.exec(system))) {
    const labels = JSON.parse(m[1]!) as string[];
    return labels.find((l) => text.toLowerCase().includes(l.toLowerCase())) ?? labels.at(-1)!;
  }
  if ((m = /^Extract these entities from the text: (\[.*?\])\./.exec(system))) {
    const labels = JSON.parse(m[1]!) as string[];
    const pick = (l: string) => new RegExp(`\\b${l}:\\s*([^,.;]+)`, "i").exec(text)?.[1]?.trim() ?? null;
    return JSON.stringify(Object.fromEntries(labels.map((l) => [l, pick(l)])));
  }
  if (system.startsWith("Correct the grammar")) {
    const fixed = text.trim().replace(/\bi\b/g, "I");
    return `${fixed.charAt(0).toUpperCase()}${fixed.slice(1)}${/[.!?]$/.test(fixed) ? "" : "."}`;
  }
  if (system.startsWith("Mask these kinds of information")) return text.replace(/\S+@\S+\.\w+/g, "[MASKED]");
  if ((m = /^Summarize the text in at most (\d+) words\./.exec(system)))
    return text.split(/\s+/).slice(0, Number(m[1])).join(" ");
  if ((m = /^Translate the text to (.+?)\. /.exec(system))) return `[${m[1]}] ${text}`;
  return `Echo: ${text}`;
}

export async function startInstructionFollowingUpstream(
  options: { token: string; delayMs?: number } = { token: "" },
): Promise<InstructionFollowingUpstream> {
  const requests = new Map<string, number>();
  const maxInFlight = new Map<string, number>();
  const inFlight = new Map<string, number>();
  const prompts = new Map<string, string[]>();
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.headers.authorization !== `Bearer ${options.token}`)
      return sendJson(res, 401, { error: { message: "Incorrect API key provided.", type: "invalid_request_error" } });
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return sendJson(res, 400, {
        error: { message: "We could not parse the JSON body.", type: "invalid_request_error" },
      });
    }
    if (!isObject(body) || typeof body.model !== "string")
      return sendJson(res, 400, {
        error: { message: "you must provide a model parameter", type: "invalid_request_error" },
      });
    const model = body.model;
    const n = (requests.get(model) ?? 0) + 1;
    requests.set(model, n);
    const now = (inFlight.get(model) ?? 0) + 1;
    inFlight.set(model, now);
    maxInFlight.set(model, Math.max(maxInFlight.get(model) ?? 0, now));
    try {
      await new Promise((r) => setTimeout(r, options.delayMs ?? 5));
      const path = new URL(req.url ?? "/", "http://mock").pathname;
      if (path === "/v1/embeddings") {
        const input = Array.isArray(body.input) ? body.input : [body.input];
        if (!input.every((t) => typeof t === "string"))
          return sendJson(res, 400, { error: { message: "'input' must be strings.", type: "invalid_request_error" } });
        const used = input.reduce((s: number, t: string) => s + tokens(t), 0);
        return sendJson(res, 200, {
          object: "list",
          model,
          data: input.map((t: string, index: number) => ({ object: "embedding", index, embedding: embeddingFor(t) })),
          usage: { prompt_tokens: used, total_tokens: used },
        });
      }
      if (path !== "/v1/chat/completions" || !Array.isArray(body.messages))
        return sendJson(res, 404, { error: { message: `Unknown route ${path}.`, type: "invalid_request_error" } });
      const every = /-429every(\d+)$/.exec(model);
      if (every && n % Number(every[1]) === 0)
        return sendJson(
          res,
          429,
          { error: { message: "Rate limit reached for requests.", type: "requests", code: "rate_limit_exceeded" } },
          { "retry-after": "1" },
        );
      const messages = body.messages as { role?: string; content?: unknown }[];
      const system = messages.find((m) => m.role === "system");
      const user = contentText(messages.findLast((m) => m.role === "user")?.content);
      if (user.includes("[[reject]]"))
        return sendJson(res, 400, {
          error: { message: "The prompt was refused by the content filter.", type: "invalid_request_error" },
        });
      prompts.set(model, [...(prompts.get(model) ?? []), user]);
      const answer = followInstruction(system ? contentText(system.content) : null, user);
      const promptTokens = messages.reduce((s, m) => s + tokens(contentText(m.content)), 0);
      return sendJson(res, 200, {
        id: randomId("chatcmpl-"),
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model,
        choices: [{ index: 0, message: { role: "assistant", content: answer }, finish_reason: "stop" }],
        usage: {
          prompt_tokens: promptTokens,
          completion_tokens: tokens(answer),
          total_tokens: promptTokens + tokens(answer),
        },
      });
    } finally {
      inFlight.set(model, (inFlight.get(model) ?? 1) - 1);
    }
  });
  const listening = await listenLocally(server);
  return { ...listening, requests, maxInFlight, prompts };
}
