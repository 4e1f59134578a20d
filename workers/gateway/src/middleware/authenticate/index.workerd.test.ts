import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { openDatabase, tokens } from "@edgeserve/db";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN } from "../../../test/client";
import { createServicePrincipalWithToken, createUserWithToken } from "../../../test/principals";
import type { AppEnv } from "../../env";
import { BOOTSTRAP_IDS } from "../../identity/bootstrap";
import type { Principal } from "../../identity/principal";
import { hashToken, newTokenValue } from "../../identity/token-hash";
import { newHexId } from "../../ids";
import { onError } from "../errors";
import { authenticate } from "./index";

// The middleware on an app of its own (as app.ts mounts it): a route behind it answers with the principal it set.
const app = new Hono<AppEnv>();
app.onError(onError);
app.use("*", async (c, next) => {
  c.set("db", openDatabase(c.env.DB));
  await next();
});
let handled = 0;
app.use("/api/*", authenticate());
app.get("/api/whoami", (c) => {
  handled += 1;
  return c.json(c.get("principal"));
});

async function whoami(authorization?: string) {
  const before = handled;
  const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
  const res = await app.request("/api/whoami", { headers }, env, createExecutionContext());
  return { status: res.status, json: (await res.json()) as any, reachedHandler: handled > before };
}

describe("authenticate middleware", () => {
  it("admits the admin token as the bootstrap admin, a member of admins", async () => {
    const res = await whoami(`Bearer ${ADMIN_TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.reachedHandler).toBe(true);
    const principal: Principal = res.json;
    expect(principal).toMatchObject({ id: BOOTSTRAP_IDS.adminUser, kind: "user", name: "admin", isAdmin: true });
    expect(principal.groupNames).toEqual(expect.arrayContaining(["admins", "users"]));
  });

  it("resolves a user's token to that user, with its groups and without admin rights", async () => {
    const user = await createUserWithToken("ana@example.com", ["data-team"]);
    const res = await whoami(`Bearer ${user.token}`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: user.id, kind: "user", name: "ana@example.com", isAdmin: false });
    expect(res.json.groupNames.sort()).toEqual(["data-team", "users"]);
  });

  it("resolves a service principal's token to the service principal", async () => {
    const sp = await createServicePrincipalWithToken("6d1a0c3e-app", ["admins"]);
    const res = await whoami(`Bearer ${sp.token}`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: sp.id, kind: "service_principal", name: "6d1a0c3e-app", isAdmin: true });
  });

  it("reads the scheme case-insensitively and ignores trailing spaces, as HTTP allows", async () => {
    const user = await createUserWithToken("bo@example.com");
    for (const header of [`bearer ${user.token}`, `BEARER   ${user.token}  `]) {
      const res = await whoami(header);
      expect(res.status, header).toBe(200);
      expect(res.json.id).toBe(user.id);
    }
  });

  it("answers 401 UNAUTHENTICATED without an Authorization header, before any handler", async () => {
    const res = await whoami();
    expect(res).toEqual({
      status: 401,
      json: {
        error_code: "UNAUTHENTICATED",
        message: "Credential was not sent or was of an unsupported type for this API.",
      },
      reachedHandler: false,
    });
  });

  it("answers 401 when the header is not `Bearer <token>`", async () => {
    for (const header of ["Basic YWRtaW46YWRtaW4=", "Bearer", "Bearer ", `Bearer ${ADMIN_TOKEN} extra`, ADMIN_TOKEN]) {
      const res = await whoami(header);
      expect(res, JSON.stringify(header)).toEqual({
        status: 401,
        json: { error_code: "UNAUTHENTICATED", message: "Authorization header must be 'Bearer <token>'." },
        reachedHandler: false,
      });
    }
  });

  it("answers 401 for a token nobody was given, and for an expired one", async () => {
    const expected = {
      status: 401,
      json: { error_code: "UNAUTHENTICATED", message: "Invalid access token." },
      reachedHandler: false,
    };
    expect(await whoami(`Bearer ${newTokenValue()}`)).toEqual(expected);
    expect(await whoami(`Bearer ${ADMIN_TOKEN}x`)).toEqual(expected);

    // A token that expired a minute ago (written to D1 before any lookup of it, so no cache holds it).
    const user = await createUserWithToken("cy@example.com");
    const expired = newTokenValue();
    await openDatabase(env.DB)
      .insert(tokens)
      .values({
        id: newHexId(),
        principalId: user.id,
        tokenHash: await hashToken(expired),
        expiresAt: Date.now() - 60_000,
      });
    expect(await whoami(`Bearer ${expired}`)).toEqual(expected);
  });
});
