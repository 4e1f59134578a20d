import type { AiGatewayRateLimit } from "@edgeserve/api";
import { describe, expect, it } from "vitest";
import {
  type AppliedLimit,
  applicableLimits,
  configuredLimits,
  describeLimit,
  limitExceededMessage,
  strictestViolation,
} from "./applicable-limits";

const alice = { kind: "user" as const, name: "alice@example.com", groupNames: ["eng", "users"] };
const bob = { kind: "user" as const, name: "bob@example.com", groupNames: ["eng", "users"] };
const carol = { kind: "user" as const, name: "carol@example.com", groupNames: ["users"] };
const robot = { kind: "service_principal" as const, name: "app-123", groupNames: ["eng"] };
const lonelyRobot = { kind: "service_principal" as const, name: "app-999", groupNames: [] };

const limit = (l: Omit<AiGatewayRateLimit, "renewal_period">): AiGatewayRateLimit => ({
  renewal_period: "minute",
  ...l,
});
const summary = (limits: AppliedLimit[]) => limits.map((l) => `${l.dimension}:${l.max}@${l.identifier}`).sort();

describe("applicableLimits", () => {
  const config = [
    limit({ calls: 100, key: "endpoint" }),
    limit({ calls: 5, key: "user" }),
    limit({ calls: 20, tokens: 1000, key: "user_group", principal: "eng" }),
    limit({ calls: 50, key: "user", principal: "alice@example.com" }),
    limit({ calls: 7, key: "service_principal", principal: "app-123" }),
  ];

  it("an endpoint limit applies to everyone, on one shared budget", () => {
    for (const p of [alice, bob, carol, robot])
      expect(summary(applicableLimits(config, p, "ep1"))).toContain("calls:100@ep1:endpoint");
  });

  it("a user's own limit overrides their group's and the default", () => {
    expect(summary(applicableLimits(config, alice, "ep1"))).toEqual([
      "calls:100@ep1:endpoint",
      "calls:50@ep1:user:alice@example.com",
    ]);
  });

  it("a group limit is shared by its members and overrides the per-user default", () => {
    const b = summary(applicableLimits(config, bob, "ep1"));
    expect(b).toEqual(["calls:100@ep1:endpoint", "calls:20@ep1:group:eng", "tokens:1000@ep1:group:eng"]);
    // A second member counts against the same identifier.
    const other = summary(applicableLimits(config, { ...bob, name: "dave@example.com" }, "ep1"));
    expect(other).toEqual(b);
  });

  it("the per-user default applies to a user with no own or group limit, on their own budget", () => {
    expect(summary(applicableLimits(config, carol, "ep1"))).toEqual([
      "calls:100@ep1:endpoint",
      "calls:5@ep1:user:carol@example.com",
    ]);
  });

  it("a service principal's own limit overrides its group's", () => {
    expect(summary(applicableLimits(config, robot, "ep1"))).toEqual([
      "calls:100@ep1:endpoint",
      "calls:7@ep1:service_principal:app-123",
    ]);
  });

  it("a service principal with nothing of its own gets the per-SP default, else the per-user default", () => {
    expect(summary(applicableLimits(config, lonelyRobot, "ep1"))).toEqual([
      "calls:100@ep1:endpoint",
      "calls:5@ep1:service_principal:app-999",
    ]);
    const withSpDefault = [...config, limit({ calls: 9, key: "service_principal" })];
    expect(summary(applicableLimits(withSpDefault, lonelyRobot, "ep1"))).toEqual([
      "calls:100@ep1:endpoint",
      "calls:9@ep1:service_principal:app-999",
    ]);
  });

  it("a user limit does not apply to a service principal of the same name, nor across endpoints", () => {
    const l = [limit({ calls: 1, key: "user", principal: "app-123" })];
    expect(applicableLimits(l, { ...robot, groupNames: [] }, "ep1")).toEqual([]);
    expect(applicableLimits([limit({ calls: 1 })], alice, "ep2")[0]!.identifier).toBe("ep2:endpoint");
  });

  it("matches names case-insensitively, and a caller in several limited groups gets each", () => {
    const l = [
      limit({ calls: 3, key: "user_group", principal: "ENG" }),
      limit({ calls: 4, key: "user_group", principal: "users" }),
    ];
    expect(summary(applicableLimits(l, bob, "ep1"))).toEqual(["calls:3@ep1:group:eng", "calls:4@ep1:group:users"]);
  });

  it("no limits configured: nothing applies", () => {
    expect(applicableLimits([], alice, "ep1")).toEqual([]);
  });
});

describe("configuredLimits", () => {
  it("reads ai_gateway.rate_limits and the legacy rate_limits together", () => {
    const got = configuredLimits({ rate_limits: [{ tokens: 10, key: "user", renewal_period: "minute" }] }, [
      { calls: 3, renewal_period: "minute" },
      { calls: 2, key: "user", renewal_period: "minute" },
    ]);
    expect(got).toEqual([
      { tokens: 10, key: "user", renewal_period: "minute" },
      { calls: 3, key: "endpoint", renewal_period: "minute" },
      { calls: 2, key: "user", renewal_period: "minute" },
    ]);
    expect(configuredLimits(null, null)).toEqual([]);
    expect(configuredLimits({ usage_tracking_config: { enabled: true } }, undefined)).toEqual([]);
  });
});

describe("strictest wins", () => {
  const applied = (l: Omit<AiGatewayRateLimit, "renewal_period">, p = bob) =>
    applicableLimits([limit(l)], p, "ep1")[0]!;
  const ep = applied({ calls: 100 });
  const group = applied({ calls: 20, key: "user_group", principal: "eng" });
  const tokens = applied({ tokens: 20, key: "user_group", principal: "eng" });

  it("names the smallest refusing budget, calls before tokens at equal size", () => {
    expect(strictestViolation([], 0)).toBeNull();
    const now = 1_000_000;
    expect(
      strictestViolation(
        [
          { limit: ep, reset: now + 5_000 },
          { limit: group, reset: now + 30_000 },
        ],
        now,
      )!.limit,
    ).toBe(group);
    expect(
      strictestViolation(
        [
          { limit: tokens, reset: now + 1 },
          { limit: group, reset: now + 1 },
        ],
        now,
      )!.limit,
    ).toBe(group);
  });

  it("Retry-After is when every refusing budget has room again, rounded up, at least 1 s", () => {
    const now = 1_000_000;
    expect(
      strictestViolation(
        [
          { limit: ep, reset: now + 5_200 },
          { limit: group, reset: now + 30_001 },
        ],
        now,
      )!.retryAfterSeconds,
    ).toBe(31);
    expect(strictestViolation([{ limit: ep, reset: now - 10 }], now)!.retryAfterSeconds).toBe(1);
  });
});

describe("messages", () => {
  const of = (
    l: Omit<AiGatewayRateLimit, "renewal_period">,
    p: { kind: "user" | "service_principal"; name: string; groupNames: string[] },
  ) => describeLimit(applicableLimits([limit(l)], p, "ep1")[0]!);

  it("name the limit: its size, what it counts and whose budget it is", () => {
    expect(of({ calls: 10 }, alice)).toBe("endpoint rate limit of 10 calls per minute");
    expect(of({ calls: 1, key: "user", principal: "alice@example.com" }, alice)).toBe(
      "rate limit of 1 call per minute for user 'alice@example.com'",
    );
    expect(of({ tokens: 500, key: "user_group", principal: "eng" }, bob)).toBe(
      "rate limit of 500 tokens per minute shared by group 'eng'",
    );
    expect(of({ calls: 3, key: "user" }, carol)).toBe(
      "per-user rate limit of 3 calls per minute (for user 'carol@example.com')",
    );
    expect(of({ calls: 7, key: "service_principal", principal: "app-123" }, robot)).toBe(
      "rate limit of 7 calls per minute for service principal 'app-123'",
    );
  });

  it("the 429 message follows Databricks' REQUEST_LIMIT_EXCEEDED wording and names the endpoint", () => {
    const l = applicableLimits([limit({ calls: 10 })], alice, "ep1")[0]!;
    expect(limitExceededMessage("my-ep", l, 12)).toBe(
      "REQUEST_LIMIT_EXCEEDED: Exceeded the endpoint rate limit of 10 calls per minute on endpoint 'my-ep'. " +
        "Retry after 12 s.",
    );
  });
});
