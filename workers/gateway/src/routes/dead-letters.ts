import {
  DEFAULT_DEAD_LETTER_RESULTS,
  type ListDeadLettersResponse,
  type ReplayDeadLettersResponse,
  deadLetterRef,
  errors,
  listDeadLettersQuery,
  parseOrThrow,
  replayDeadLettersRequest,
} from "@edgeserve/api";
import { Hono } from "hono";
import { deleteDeadLetter, listDeadLetters } from "../dead-letters/dead-letter-store";
import { replayDeadLetter, replayDeadLetters } from "../dead-letters/replay";
import type { AppEnv } from "../env";
import { readBody, readQuery } from "../http/read-json";
import { requireAdmin } from "../identity/scim/require-admin";

/**
 * /api/2.0/edgeserve/dead-letters: queue messages that failed every retry (usage, payload logs,
 * deployments), kept by the dead-letter consumer. Admins only: bodies hold other tenants' usage and payloads.
 */
export const deadLetterRoutes = new Hono<AppEnv>();

deadLetterRoutes.use("*", async (c, next) => {
  requireAdmin(c.get("principal"), "list, replay or delete dead-lettered queue messages");
  await next();
});

deadLetterRoutes.get("/", async (c) => {
  const query = readQuery(c, listDeadLettersQuery);
  const page = await listDeadLetters(c.env.ARTIFACTS, {
    ...(query.queue ? { queue: query.queue } : {}),
    limit: query.max_results ?? DEFAULT_DEAD_LETTER_RESULTS,
    ...(query.page_token ? { cursor: query.page_token } : {}),
  });
  const body: ListDeadLettersResponse = {
    dead_letters: page.deadLetters,
    ...(page.cursor ? { next_page_token: page.cursor } : {}),
  };
  return c.json(body);
});

deadLetterRoutes.post("/replay", async (c) => {
  const { queue } = await readBody(c, replayDeadLettersRequest);
  return c.json(await replayDeadLetters(c.env, c.env.ARTIFACTS, queue));
});

deadLetterRoutes.post("/:queue/:dead_letter_id/replay", async (c) => {
  const { queue, dead_letter_id: id } = parseOrThrow(deadLetterRef, c.req.param());
  let replayed: boolean;
  try {
    replayed = await replayDeadLetter(c.env, c.env.ARTIFACTS, queue, id);
  } catch (error) {
    throw errors.unavailable(
      `Dead letter '${id}' could not be sent back to queue '${queue}' ` +
        `(${error instanceof Error ? error.message : "send failed"}); it is kept.`,
      5,
    );
  }
  if (!replayed) throw errors.notFound(`Dead letter '${id}' of queue '${queue}' does not exist.`);
  const body: ReplayDeadLettersResponse = { replayed: [{ queue, id }], failed: [], has_more: false };
  return c.json(body);
});

deadLetterRoutes.delete("/:queue/:dead_letter_id", async (c) => {
  const { queue, dead_letter_id: id } = parseOrThrow(deadLetterRef, c.req.param());
  if (!(await deleteDeadLetter(c.env.ARTIFACTS, queue, id)))
    throw errors.notFound(`Dead letter '${id}' of queue '${queue}' does not exist.`);
  return c.json({});
});
