// A deliberately fast OpenAI-compatible upstream for `pnpm bench`, run in its own process.
//
// test/mocks/openai-compatible-upstream.ts is the strict mock of the e2e suite: it validates every
// field and records every request, and it is TypeScript (node 20 cannot run it without a loader).
// That work would sit inside every measured request, so the bench uses this one instead: it checks
// the bearer token, parses the JSON body (as a real provider must), and answers a fixed-size
// chat.completion with usage, or an SSE stream whose first token is written at once and whose
// remaining tokens follow every STREAM_GAP_MS (so a gateway that buffers the stream shows in TTFT).
// For each streamed chat it notes when the request had fully arrived and when the first token was
// written (process.hrtime, CLOCK_MONOTONIC, comparable across processes); `GET /timings` hands those
// over and forgets them, so the TTFT client can split its time into the way to the upstream and back.
//
// With --completion-words=N every chat answer is N words (N completion tokens) whatever the prompt, as an
// LLM's answers are (bench/provisioned-throughput.mjs); without it, the answer echoes the prompt.
//
//   node bench/mock-upstream.mjs --token=sk-bench [--port=0] [--stream-gap-ms=5] [--completion-words=N]
// prints one line `READY http://127.0.0.1:<port>` on stdout once listening.
import http from "node:http";

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")));
const TOKEN = args.token ?? "sk-bench";
const STREAM_GAP_MS = Number(args["stream-gap-ms"] ?? 5);
const COMPLETION_WORDS = args["completion-words"] ? Number(args["completion-words"]) : null;
const EXPECTED = `Bearer ${TOKEN}`;

let seq = 0;
/** [request fully arrived, first token written] in ns, per streamed chat, oldest first; bounded. */
const streamTimings = [];
const MAX_TIMINGS = 100_000;
const created = Math.floor(Date.now() / 1000);

function lastUserText(messages) {
  if (!Array.isArray(messages)) return "";
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m && m.role === "user") {
      if (typeof m.content === "string") return m.content;
      if (Array.isArray(m.content))
        return m.content.map((p) => (p && typeof p.text === "string" ? p.text : "")).join("");
    }
  }
  return "";
}

function send(res, status, obj) {
  const text = JSON.stringify(obj);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function chat(body, res, receivedNs) {
  const model = typeof body.model === "string" ? body.model : "bench-model";
  const reply =
    COMPLETION_WORDS === null
      ? `Echo: ${lastUserText(body.messages)}`
      : Array.from({ length: COMPLETION_WORDS }, (_, i) => `w${i}`).join(" ");
  const words = reply.match(/\S+\s*/g) ?? [reply];
  const promptTokens = 12;
  const completionTokens = words.length;
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
  const id = `chatcmpl-bench${++seq}`;
  if (body.stream !== true) {
    return send(res, 200, {
      id,
      object: "chat.completion",
      created,
      model,
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: reply, refusal: null },
          logprobs: null,
          finish_reason: "stop",
        },
      ],
      usage,
      system_fingerprint: "fp_bench",
    });
  }
  const includeUsage = body.stream_options && body.stream_options.include_usage === true;
  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
  const event = (choices, extra) => {
    const chunk = { id, object: "chat.completion.chunk", created, model, choices };
    return `data: ${JSON.stringify({ ...chunk, ...(includeUsage ? { usage: null } : {}), ...extra })}\n\n`;
  };
  // Role chunk and the first token at once: the "first token" the TTFT measurer waits for.
  if (streamTimings.length < MAX_TIMINGS) streamTimings.push([String(receivedNs), String(process.hrtime.bigint())]);
  res.write(
    event([{ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }]) +
      event([{ index: 0, delta: { content: words[0] }, logprobs: null, finish_reason: null }]),
  );
  let i = 1;
  const next = () => {
    if (res.destroyed) return;
    if (i < words.length) {
      res.write(event([{ index: 0, delta: { content: words[i++] }, logprobs: null, finish_reason: null }]));
      return void setTimeout(next, STREAM_GAP_MS);
    }
    let tail = event([{ index: 0, delta: {}, logprobs: null, finish_reason: "stop" }]);
    if (includeUsage) tail += event([], { usage });
    res.end(`${tail}data: [DONE]\n\n`);
  };
  setTimeout(next, STREAM_GAP_MS);
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const receivedNs = process.hrtime.bigint();
    const path = req.url.split("?")[0];
    if (req.method === "GET" && path === "/health") return send(res, 200, { ok: true });
    if (req.method === "GET" && path === "/timings") return send(res, 200, streamTimings.splice(0));
    if (req.method !== "POST" || (path !== "/v1/chat/completions" && path !== "/chat/completions"))
      return send(res, 404, {
        error: { message: `Invalid URL (${req.method} ${path})`, type: "invalid_request_error" },
      });
    if (req.headers.authorization !== EXPECTED)
      return send(res, 401, {
        error: { message: "Incorrect API key provided.", type: "invalid_request_error", code: "invalid_api_key" },
      });
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return send(res, 400, {
        error: { message: "We could not parse the JSON body of your request.", type: "invalid_request_error" },
      });
    }
    if (!body || typeof body !== "object" || !Array.isArray(body.messages))
      return send(res, 400, {
        error: { message: "Missing required parameter: 'messages'.", type: "invalid_request_error", param: "messages" },
      });
    chat(body, res, receivedNs);
  });
});
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;
server.listen(Number(args.port ?? 0), "127.0.0.1", () => {
  process.stdout.write(`READY http://127.0.0.1:${server.address().port}\n`);
});
process.on("SIGTERM", () => process.exit(0));
