import { describe, expect, it } from "vitest";
import { CallLeases, LEASE_TTL_MS } from "./call-leases";

const T0 = 1_700_000_000_000;
const BIG = 1_000_000; // a budget leases apply to (1% = 10 000 calls)

/** Simulates `n` queries in one second, each admitted by Redis (no lease yet). */
function busy(leases: CallLeases, id: string, n: number, now = T0) {
  for (let i = 0; i < n; i++) leases.admitted(id, 0, BIG, now);
}

describe("CallLeases", () => {
  it("holds nothing at first: every query asks Redis, for its own call only", () => {
    const leases = new CallLeases();
    expect(leases.take("ep", T0)).toBe(false);
    expect(leases.extraFor("ep", BIG, T0)).toBe(0);
  });

  it("asks for a lease the size of the isolate's demand over the last second", () => {
    const leases = new CallLeases();
    busy(leases, "ep", 50);
    expect(leases.extraFor("ep", BIG, T0 + 10)).toBe(50);
    // The next second still sees the previous second's demand.
    expect(leases.extraFor("ep", BIG, T0 + 1000)).toBe(50);
    // After a quiet second, demand is forgotten.
    expect(leases.extraFor("ep", BIG, T0 + 2500)).toBe(0);
  });

  it("admits locally exactly the calls Redis granted, then asks Redis again", () => {
    const leases = new CallLeases();
    busy(leases, "ep", 10);
    leases.admitted("ep", 5, BIG, T0);
    for (let i = 0; i < 5; i++) expect(leases.take("ep", T0 + 1)).toBe(true);
    expect(leases.take("ep", T0 + 1)).toBe(false);
  });

  it("drops what is left of a lease after its TTL", () => {
    const leases = new CallLeases();
    busy(leases, "ep", 10);
    leases.admitted("ep", 5, BIG, T0);
    expect(leases.take("ep", T0 + LEASE_TTL_MS - 1)).toBe(true);
    expect(leases.take("ep", T0 + LEASE_TTL_MS)).toBe(false);
  });

  it("never leases more than 1% of a budget, and nothing on budgets under 200 calls", () => {
    const leases = new CallLeases();
    busy(leases, "small", 100);
    expect(leases.extraFor("small", 199, T0)).toBe(0);
    busy(leases, "mid", 100);
    expect(leases.extraFor("mid", 1000, T0)).toBe(10);
  });

  it("asks for no lease once the budget is nearly spent", () => {
    const leases = new CallLeases();
    busy(leases, "ep", 20);
    leases.admitted("ep", 0, 40, T0); // 21 queries this second, 40 calls left: a lease of 21 needs 88 left
    expect(leases.extraFor("ep", BIG, T0)).toBe(0);
    leases.admitted("ep", 0, 1000, T0);
    expect(leases.extraFor("ep", BIG, T0)).toBe(22);
    leases.refused("ep", T0);
    expect(leases.extraFor("ep", BIG, T0)).toBe(0);
  });

  it("asks for one refill when half the lease is used, and adds what Redis granted", () => {
    const leases = new CallLeases();
    busy(leases, "ep", 10);
    leases.admitted("ep", 10, BIG, T0);
    const refills: number[] = [];
    for (let i = 0; i < 10; i++) {
      expect(leases.take("ep", T0 + 1)).toBe(true);
      refills.push(leases.refillDue("ep", BIG, T0 + 1));
    }
    // Due once, when 5 of the 10 were left; not again while that refill is out.
    expect(refills.filter((n) => n > 0)).toHaveLength(1);
    expect(refills.indexOf(refills.find((n) => n > 0)!)).toBe(4);
    leases.refilled("ep", 15, BIG, T0 + 2);
    let local = 0;
    while (leases.take("ep", T0 + 3)) local++;
    expect(local).toBe(15);
  });

  it("a refused refill grants nothing and stops leasing until Redis says there is room", () => {
    const leases = new CallLeases();
    busy(leases, "ep", 10);
    leases.admitted("ep", 4, BIG, T0);
    leases.take("ep", T0);
    leases.take("ep", T0);
    const due = leases.refillDue("ep", BIG, T0);
    expect(due).toBeGreaterThan(0);
    leases.refilled("ep", 0, 0, T0 + 1);
    expect(leases.extraFor("ep", BIG, T0 + 1)).toBe(0);
  });

  it("gives a call back when another budget refused the query", () => {
    const leases = new CallLeases();
    busy(leases, "ep", 10);
    leases.admitted("ep", 1, BIG, T0);
    expect(leases.take("ep", T0)).toBe(true);
    leases.giveBack("ep");
    expect(leases.take("ep", T0)).toBe(true);
    expect(leases.take("ep", T0)).toBe(false);
  });

  it("keeps budgets apart", () => {
    const leases = new CallLeases();
    busy(leases, "a", 10);
    leases.admitted("a", 3, BIG, T0);
    expect(leases.take("b", T0)).toBe(false);
    expect(leases.take("a", T0)).toBe(true);
  });
});
