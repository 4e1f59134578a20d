import { createExecutionContext } from "cloudflare:test";
import { withEnv } from "cloudflare:workers";
import worker from "../src/index";
import { ADMIN_TOKEN } from "./client";

/**
 * Calls the worker with other bindings than wrangler.toml's (e.g. an operator's EDGESERVE_FOUNDATION_MODELS),
 * for the request and for modules that read `env` from cloudflare:workers (withEnv).
 */
export async function callWithEnv(
  bindings: object,
  method: string,
  path: string,
  options: { body?: unknown; token?: string } = {},
) {
  const request = new Request(`https://edgeserve.test${path}`, {
    method,
    headers: { authorization: `Bearer ${options.token ?? ADMIN_TOKEN}`, "content-type": "application/json" },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const res = (await withEnv(bindings, () =>
    worker.fetch(request, bindings as never, createExecutionContext()),
  )) as Response;
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, headers: res.headers, text, json };
}
