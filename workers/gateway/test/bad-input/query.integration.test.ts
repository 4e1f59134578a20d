import { chatRequest, completionsRequest, embeddingsRequest } from "@edgeserve/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReadyEndpoint, customChatEndpoint } from "../endpoints";
import { fakeOpenAiUpstream } from "../fake-upstream";
import {
  type FieldSpec,
  type RouteCase,
  badInputSuite,
  checkBadRequest,
  digest,
  send,
  untilRowCount,
  warmUp,
} from "./harness";

/**
 * Bad input on the query path (/serving-endpoints/…): READY endpoints backed by the fake
 * OpenAI-compatible upstream, which must see no call for any bad request.
 */

const Q = "/serving-endpoints";
const CHAT = "bi-chat";
const CMP = "bi-cmp";
const EMB = "bi-emb";

let upstream: ReturnType<typeof fakeOpenAiUpstream>;
const upstreamUntouched = () =>
  expect(upstream.calls, `upstream called with ${JSON.stringify(upstream.calls[0]?.body)}`).toHaveLength(0);

function endpointOfTask(name: string, task: string) {
  const body = customChatEndpoint(name);
  body.config.served_entities[0]!.external_model.task = task;
  return body;
}

const extras: FieldSpec[] = [
  { path: ["client_request_id"], kind: "string" },
  { path: ["usage_context"], kind: "object" },
  { path: ["extra_params"], kind: "object" },
];
const sampling: FieldSpec[] = [
  { path: ["model"], kind: "string" },
  { path: ["max_tokens"], kind: "int" },
  { path: ["max_completion_tokens"], kind: "int" },
  { path: ["temperature"], kind: "number" },
  { path: ["top_p"], kind: "number" },
  { path: ["top_k"], kind: "int" },
  { path: ["n"], kind: "int" },
  { path: ["stop"], kind: "stringOrArray" },
  { path: ["stream"], kind: "boolean" },
  { path: ["stream_options"], kind: "object" },
  { path: ["stream_options", "include_usage"], kind: "boolean" },
];
const chatFields: FieldSpec[] = [
  ...sampling,
  ...extras,
  { path: ["messages"], kind: "array" },
  { path: ["messages", 0], kind: "object" },
  { path: ["messages", 0, "role"], kind: "string" },
  { path: ["messages", 0, "content"], kind: "content" },
  { path: ["messages", 0, "name"], kind: "string" },
  { path: ["messages", 0, "tool_calls"], kind: "array" },
  { path: ["messages", 0, "tool_call_id"], kind: "string" },
  { path: ["tools"], kind: "array" },
  { path: ["tools", 0], kind: "object" },
  { path: ["tools", 0, "function"], kind: "object" },
  { path: ["tools", 0, "function", "name"], kind: "string" },
  { path: ["response_format"], kind: "object" },
  { path: ["response_format", "type"], kind: "string" },
];
const chatValid = (model?: string) => ({
  ...(model ? { model } : {}),
  messages: [{ role: "user", content: "hi" }],
  max_tokens: 5,
  temperature: 0.5,
  stop: ["\n"],
  tools: [{ type: "function", function: { name: "f" } }],
  response_format: { type: "text" },
  client_request_id: "r1",
});
const completionsFields: FieldSpec[] = [...sampling, ...extras, { path: ["prompt"], kind: "stringOrArray" }];
const embeddingsFields: FieldSpec[] = [
  ...extras,
  { path: ["model"], kind: "string" },
  { path: ["input"], kind: "stringOrArray" },
  { path: ["encoding_format"], kind: "string" },
  { path: ["dimensions"], kind: "int" },
];

function routes(): RouteCase[] {
  // Bad bodies at the model-named routes: a model field of the wrong type is "missing model" (400) too.
  const after = upstreamUntouched;
  const withoutModel = (fields: FieldSpec[]) => fields;
  return [
    {
      method: "POST",
      pattern: `${Q}/:name/invocations`,
      path: `${Q}/${CHAT}/invocations`,
      missingPath: (s) => `${Q}/${s}/invocations`,
      existing: [CHAT, CMP, EMB],
      body: { valid: chatValid(), schema: chatRequest, strict: false, fields: chatFields },
      after,
    },
    {
      method: "POST",
      pattern: `${Q}/:name/served-models/:entity/invocations`,
      path: `${Q}/${CHAT}/served-models/primary/invocations`,
      missingPath: (s) =>
        s.length % 2 ? `${Q}/${s}/served-models/primary/invocations` : `${Q}/${CHAT}/served-models/${s}/invocations`,
      existing: [CHAT, CMP, EMB, "primary"],
      body: { valid: chatValid(), schema: chatRequest, strict: false, fields: chatFields },
      after,
    },
    {
      method: "POST",
      pattern: `${Q}/chat/completions`,
      path: `${Q}/chat/completions`,
      body: { valid: chatValid(CHAT), schema: chatRequest, strict: false, fields: withoutModel(chatFields) },
      after,
    },
    {
      method: "POST",
      pattern: `${Q}/completions`,
      path: `${Q}/completions`,
      body: {
        valid: { model: CMP, prompt: ["say"], max_tokens: 3, n: 1 },
        schema: completionsRequest,
        strict: false,
        fields: completionsFields,
      },
      after,
    },
    {
      method: "POST",
      pattern: `${Q}/embeddings`,
      path: `${Q}/embeddings`,
      body: {
        valid: { model: EMB, input: ["a", "b"], encoding_format: "float", dimensions: 3 },
        schema: embeddingsRequest,
        strict: false,
        fields: embeddingsFields,
      },
      after,
    },
  ];
}

const DECLARED = [
  `POST ${Q}/:name/invocations`,
  `POST ${Q}/:name/served-models/:entity/invocations`,
  `POST ${Q}/chat/completions`,
  `POST ${Q}/completions`,
  `POST ${Q}/embeddings`,
];

let cases: RouteCase[] = [];

beforeAll(async () => {
  await warmUp();
  await createReadyEndpoint(customChatEndpoint(CHAT));
  await createReadyEndpoint(endpointOfTask(CMP, "llm/v1/completions"));
  await createReadyEndpoint(endpointOfTask(EMB, "llm/v1/embeddings"));
  upstream = fakeOpenAiUpstream();
  // The fixtures answer a valid query (so the bad-input properties are not vacuous), then the record is reset.
  for (const [path, body] of [
    [`${Q}/${CHAT}/invocations`, chatValid()],
    [`${Q}/chat/completions`, chatValid(CHAT)],
    [`${Q}/completions`, { model: CMP, prompt: ["say"] }],
    [`${Q}/embeddings`, { model: EMB, input: ["a", "b"] }],
  ] as const) {
    const res = await send({ method: "POST", path, body: JSON.stringify(body) });
    expect(res.status, `${path}: ${res.text}`).toBe(200);
  }
  expect(upstream.calls).toHaveLength(4);
  upstream.calls.length = 0;
  // Their usage records reach D1 through the usage queue; the digests start once they have landed.
  await untilRowCount("usage_records", 4);
  cases = routes();
});

afterAll(() => upstream?.restore());

describe("bad input: query path", () => {
  badInputSuite(() => cases, DECLARED);

  it(
    "refuses a query body just over 4 MB with 413 " +
      "RESOURCE_LIMIT_EXCEEDED, changing nothing and calling no upstream",
    async () => {
      const big = JSON.stringify({ messages: [{ role: "user", content: "x".repeat(4 * 1024 * 1024) }] });
      let state = await digest();
      state = await checkBadRequest(
        { method: "POST", path: `${Q}/${CHAT}/invocations`, body: big },
        { statuses: [413], code: "RESOURCE_LIMIT_EXCEEDED", after: upstreamUntouched },
        state,
      );
      state = await checkBadRequest(
        {
          method: "POST",
          path: `${Q}/chat/completions`,
          body: JSON.stringify({ model: CHAT, messages: [{ role: "user", content: "x".repeat(4 * 1024 * 1024) }] }),
        },
        { statuses: [413], code: "RESOURCE_LIMIT_EXCEEDED", after: upstreamUntouched },
        state,
      );
    },
  );

  it(
    "refuses model names that do not exist or serve " + "another task, and bad entity names, calling no upstream",
    async () => {
      let state = await digest();
      const checks: [string, unknown, number][] = [
        [`${Q}/chat/completions`, { model: "bi-missing", messages: [{ role: "user", content: "hi" }] }, 404],
        [`${Q}/chat/completions`, { messages: [{ role: "user", content: "hi" }] }, 400],
        [`${Q}/chat/completions`, { model: "", messages: [{ role: "user", content: "hi" }] }, 400],
        [`${Q}/embeddings`, { model: CHAT, input: "a" }, 400],
        [`${Q}/completions`, { model: EMB, prompt: "a" }, 400],
        [`${Q}/chat/completions`, { model: CMP, messages: [{ role: "user", content: "hi" }] }, 400],
        [`${Q}/${CHAT}/invocations`, { messages: [] }, 400],
        [`${Q}/${EMB}/invocations`, { input: "a", stream: true }, 400],
        [`${Q}/${EMB}/invocations`, { input: [] }, 400],
        [`${Q}/${CMP}/invocations`, { prompt: [] }, 400],
        [`${Q}/${CHAT}/invocations`, { messages: [{ role: "user", content: "hi" }], temperature: 3 }, 400],
        [`${Q}/${CHAT}/invocations`, { messages: [{ role: "user", content: "hi" }], n: 6 }, 400],
        [`${Q}/${CHAT}/invocations`, { messages: [{ role: "robot", content: "hi" }] }, 400],
        [
          `${Q}/${CHAT}/invocations`,
          { messages: [{ role: "user", content: "hi" }], client_request_id: "x".repeat(129) },
          400,
        ],
        [`${Q}/${CHAT}/served-models/other/invocations`, { messages: [{ role: "user", content: "hi" }] }, 404],
      ];
      for (const [path, body, status] of checks) {
        state = await checkBadRequest(
          { method: "POST", path, body: JSON.stringify(body) },
          { statuses: [status], after: upstreamUntouched },
          state,
        );
      }
    },
  );
});
