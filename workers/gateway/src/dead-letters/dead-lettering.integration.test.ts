import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { call } from "../../test/client";

/**
 * The whole path through Miniflare's queues, as wrangler.toml configures them: a message whose consumer
 * throws on every delivery is retried max_retries times, moved to the dead-letter queue, and kept by
 * the dead-letter consumer, where the list shows it. (Consumers that retry with backoff would take
 * minutes to get there; a consumer that throws is retried at once.)
 */
describe("dead-lettering through the real queues", () => {
  it("keeps a message the deployment consumer fails on every time, once the queue gives up on it", async () => {
    // A body the deployment consumer cannot read: it throws, so each delivery fails (max_retries = 5).
    await env.DEPLOYMENTS.send(null as never, { contentType: "json" });
    const kept = await vi.waitFor(
      async () => {
        const res = await call("GET", "/api/2.0/edgeserve/dead-letters?queue=edgeserve-deployments");
        const found = res.json.dead_letters.filter(
          (d: { summary: string }) => d.summary === "unreadable deployment message",
        );
        expect(found).toHaveLength(1);
        return found[0];
      },
      { timeout: 25_000, interval: 250 },
    );
    expect(kept).toMatchObject({
      queue: "edgeserve-deployments",
      dead_letter_queue: "edgeserve-deployments-dlq",
      dead_letter_count: 1,
      size_bytes: 4,
      summary: "unreadable deployment message",
    });

    expect((await call("DELETE", `/api/2.0/edgeserve/dead-letters/edgeserve-deployments/${kept.id}`)).status).toBe(200);
    expect(
      (await call("GET", "/api/2.0/edgeserve/dead-letters")).json.dead_letters.map((d: { id: string }) => d.id),
    ).not.toContain(kept.id);
  }, 30_000);
});
