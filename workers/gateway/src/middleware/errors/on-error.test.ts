import { ApiError } from "@edgeserve/api";
import { Hono } from "hono";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AppEnv } from "../../env";
import { requestId } from "../request-id";
import { onError } from "./index";

/** An app whose only route throws `error`; returns the response and what was written to the worker's log. */
async function failWith(error: unknown): Promise<{ status: number; body: string; log: string }> {
  const app = new Hono<AppEnv>();
  app.onError(onError);
  app.use("*", requestId());
  app.get("/fail", () => {
    throw error;
  });
  const logged = vi.spyOn(console, "error").mockImplementation(() => {});
  const res = await app.request("/fail", { headers: { "x-request-id": "req-7" } });
  return {
    status: res.status,
    body: await res.text(),
    log: logged.mock.calls.map((args) => args.join(" ")).join("\n"),
  };
}

afterEach(() => vi.restoreAllMocks());

describe("onError", () => {
  it("logs a 502's cause (what the upstream said) while the client sees only the message", async () => {
    const cause = 'The provider \'openai\' answered HTTP 401: {"error":"key revoked for org-4417"}';
    const error = new ApiError("BAD_GATEWAY", "The provider 'openai' rejected the endpoint's credentials (HTTP 401).", {
      status: 502,
      cause,
    });
    const { status, body, log } = await failWith(error);
    expect(status).toBe(502);
    expect(JSON.parse(body)).toMatchObject({ error_code: "BAD_GATEWAY", message: error.message });
    expect(body).not.toContain("org-4417");
    expect(JSON.parse(log)).toMatchObject({
      level: "error",
      requestId: "req-7",
      status: 502,
      error_code: "BAD_GATEWAY",
      cause,
    });
  });

  it("logs a bug with its stack and answers the generic 500", async () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'rows') at row 12");
    const { status, body, log } = await failWith(bug);
    expect(status).toBe(500);
    expect(JSON.parse(body)).toMatchObject({
      error_code: "INTERNAL_ERROR",
      message: "Internal error. Request id: req-7",
    });
    expect(body).not.toContain("rows");
    const line = JSON.parse(log) as { requestId: string; error: string };
    expect(line.requestId).toBe("req-7");
    expect(line.error).toBe(bug.stack);
    expect(line.error).toContain("on-error.test");
  });

  it("does not log the caller's own mistakes or a 5xx without a cause", async () => {
    expect((await failWith(new ApiError("INVALID_PARAMETER_VALUE", "bad", { cause: "zod issue" }))).log).toBe("");
    expect((await failWith(new ApiError("TEMPORARILY_UNAVAILABLE", "busy"))).log).toBe("");
  });
});
