import { errors } from "@edgeserve/api";
import { type Context, Hono, type MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { MAX_LLM_BODY_BYTES, readJsonObject } from "../http/read-json";
import { authenticateToken } from "../identity/authenticate-token";
import { bearerToken } from "../middleware/authenticate";
import { anthropicErrorFromResponse, anthropicErrorResponse } from "../ingress/anthropic/anthropic-error-body";
import { anthropicRequestToOpenAi } from "../ingress/anthropic/anthropic-request-to-openai";
import { openAiResponseToAnthropic } from "../ingress/anthropic/openai-response-to-anthropic";
import {
  type AnthropicEvent,
  encodeAnthropicEvent,
  messageToAnthropicEvents,
  openAiStreamToAnthropic,
} from "../ingress/anthropic/openai-stream-to-anthropic";
import { readSseEvents } from "../serving/external-model/shared/sse";
import { answerQuery, startQuery } from "../serving/handle-query";

/**
 * Anthropic-format ingress: `POST /serving-endpoints/anthropic/v1/messages` with `model` = endpoint
 * name, so Anthropic's SDK (baseURL `<host>/serving-endpoints/anthropic`) can call any chat endpoint
 * whatever provider is behind it. The request becomes an OpenAI chat body for the shared query path;
 * the answer (JSON or SSE) and every error come back in Anthropic's shapes.
 */
export const anthropicMessagesRoutes = new Hono<AppEnv>();

/**
 * Anthropic's SDK sends the key as `x-api-key` (or `Authorization: Bearer` with `authToken`): both
 * are accepted, and failures answer in Anthropic's error shape. When the app's own `authenticate`
 * already ran (principal set), this does nothing.
 */
function anthropicAuthenticate(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.get("principal")) return next();
    try {
      const bearer = bearerToken(c.req.header("authorization"));
      const token = bearer ?? c.req.header("x-api-key")?.trim();
      if (!token) throw errors.unauthenticated("x-api-key header is required (your Edgeserve access token).");
      const principal = await authenticateToken(c.env, c.get("db"), token);
      if (!principal) throw errors.unauthenticated("Invalid access token.");
      c.set("principal", principal);
    } catch (error) {
      return anthropicErrorResponse(error, c.get("requestId"));
    }
    return next();
  };
}

function eventStream(events: AsyncGenerator<AnthropicEvent> | Generator<AnthropicEvent>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const step = await events.next();
        if (step.done) controller.close();
        else controller.enqueue(encodeAnthropicEvent(step.value));
      } catch {
        controller.enqueue(
          encodeAnthropicEvent({ type: "error", error: { type: "api_error", message: "The stream failed." } }),
        );
        controller.close();
      }
    },
    async cancel() {
      // The client went away: returning the generator cancels the upstream body, and so the provider call.
      await events.return(undefined);
    },
  });
}

async function messages(c: Context<AppEnv>): Promise<Response> {
  const body = await readJsonObject(c, MAX_LLM_BODY_BYTES);
  const openAiBody = anthropicRequestToOpenAi(body);
  const model = openAiBody.model as string;
  const query = await startQuery(c, model);
  const answer = await answerQuery(c, query, openAiBody, { expectedTask: "llm/v1/chat" });
  if (!answer.ok) return anthropicErrorFromResponse(answer, c.get("requestId"));

  const headers = new Headers({ "request-id": c.get("requestId") });
  const served = answer.headers.get("served-model-name");
  if (served) headers.set("served-model-name", served);
  const isSse = (answer.headers.get("content-type") ?? "").includes("text/event-stream");

  if (body.stream === true) {
    headers.set("content-type", "text/event-stream; charset=utf-8");
    headers.set("cache-control", "no-cache");
    const events =
      isSse && answer.body
        ? openAiStreamToAnthropic(readSseEvents(answer.body), model)
        : messageToAnthropicEvents(openAiResponseToAnthropic(await answer.json(), model));
    return new Response(eventStream(events), { status: 200, headers });
  }
  headers.set("content-type", "application/json");
  return new Response(JSON.stringify(openAiResponseToAnthropic(await answer.json(), model)), { status: 200, headers });
}

anthropicMessagesRoutes.use("*", anthropicAuthenticate());
anthropicMessagesRoutes.post("/v1/messages", async (c) => {
  try {
    return await messages(c);
  } catch (error) {
    return anthropicErrorResponse(error, c.get("requestId"));
  }
});
