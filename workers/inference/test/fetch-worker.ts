import { env } from "cloudflare:workers";
import worker from "../src/index";

/**
 * A request to the inference worker's fetch handler, called with its bindings as the runtime calls it,
 * instead of through the deprecated `SELF`.
 */
export function fetchWorker(url: string, init?: RequestInit): Promise<Response> {
  // An incoming request: what a test sends has no `cf` properties, which the handler does not read.
  const request = new Request(url, init) as Parameters<typeof worker.fetch>[0];
  return Promise.resolve(worker.fetch(request, env as never));
}
