import { type Task, errors } from "@edgeserve/api";
import { type Context, Hono } from "hono";
import type { AppEnv } from "../env";
import { MAX_LLM_BODY_BYTES, readJsonObject } from "../http/read-json";
import { answerQuery, startQuery } from "../serving/handle-query";

/**
 * OpenAI-compatible routes: base URL `<host>/serving-endpoints`, with `model` = endpoint name,
 * as OpenAI's SDK and Databricks' AI SDK provider call them.
 */
export const openaiCompatibleRoutes = new Hono<AppEnv>();

async function byModel(c: Context<AppEnv>, task: Task) {
  const body = await readJsonObject(c, MAX_LLM_BODY_BYTES);
  if (typeof body.model !== "string" || body.model === "")
    throw errors.invalid("Missing required field 'model': set it to the name of the serving endpoint to query.");
  const query = await startQuery(c, body.model);
  return answerQuery(c, query, body, { expectedTask: task });
}

openaiCompatibleRoutes.post("/chat/completions", (c) => byModel(c, "llm/v1/chat"));
openaiCompatibleRoutes.post("/completions", (c) => byModel(c, "llm/v1/completions"));
openaiCompatibleRoutes.post("/embeddings", (c) => byModel(c, "llm/v1/embeddings"));
