/** One isolate never holds more than this share of a calls budget (bounds what leases can over-count). */
const LEASE_SHARE = 0.01;
/** A lease is used within this long of being granted (bounds the skew against Redis's sliding window). */
export const LEASE_TTL_MS = 1_000;
/** A lease is asked for only while the budget had this many times the lease left. */
const HEADROOM = 4;

interface Lease {
  /** Calls granted by Redis and not yet admitted. */
  left: number;
  expiresAt: number;
  /** Size of the last grant: the next is asked for when half of it is used. */
  granted: number;
  refilling: boolean;
  /** What Redis last said was left of the whole budget. */
  budgetLeft: number;
  /** Queries admitted on this budget in the current and the previous second (the isolate's demand). */
  second: number;
  thisSecond: number;
  lastSecond: number;
}

/** A lease the size of the isolate's demand over the last second, capped at LEASE_SHARE of the budget. */
function leaseSize(lease: Lease, max: number): number {
  return Math.min(Math.max(lease.thisSecond, lease.lastSecond), Math.floor(max * LEASE_SHARE));
}

/**
 * Calls of a budget that a busy isolate has already charged to Redis and admits locally, one query at a
 * time, so that most queries cost no Redis round trip. Each query still counts: a lease is a block of
 * calls charged in one `limit(id, { rate: n })`, sized by the isolate's own demand over the last second
 * and capped at LEASE_SHARE of the budget. A budget that small (under 200 calls a minute) or nearly spent
 * gets no leases: every query asks Redis, exactly as without leases.
 *
 * The trade, bounded: Redis may count calls an isolate then never admits (at most one lease per isolate,
 * until they slide out of the window), so a caller can be refused up to a lease early; it never admits a
 * call Redis did not count.
 */
export class CallLeases {
  private readonly leases = new Map<string, Lease>();

  private leaseOf(identifier: string, now: number): Lease {
    let lease = this.leases.get(identifier);
    if (!lease) {
      if (this.leases.size >= 10_000) this.forgetIdle(now);
      lease = {
        left: 0,
        expiresAt: 0,
        granted: 0,
        refilling: false,
        budgetLeft: 0,
        second: Math.floor(now / 1000),
        thisSecond: 0,
        lastSecond: 0,
      };
      this.leases.set(identifier, lease);
    }
    const second = Math.floor(now / 1000);
    if (second !== lease.second) {
      lease.lastSecond = second === lease.second + 1 ? lease.thisSecond : 0;
      lease.thisSecond = 0;
      lease.second = second;
    }
    if (now >= lease.expiresAt) lease.left = 0;
    return lease;
  }

  private forgetIdle(now: number): void {
    for (const [id, lease] of this.leases) if (now >= lease.expiresAt && !lease.refilling) this.leases.delete(id);
  }

  /** Admits one query from the isolate's lease on the budget, if it holds one. */
  take(identifier: string, now: number): boolean {
    const lease = this.leaseOf(identifier, now);
    if (lease.left <= 0) return false;
    lease.left--;
    lease.thisSecond++;
    return true;
  }

  /** Gives back a call `take` admitted (another budget refused the query). */
  giveBack(identifier: string): void {
    const lease = this.leases.get(identifier);
    if (lease) {
      lease.left++;
      lease.thisSecond--;
    }
  }

  /**
   * Calls to charge beyond the query's own when it asks Redis: a lease, if the isolate is busy and the budget
   * roomy.
   */
  extraFor(identifier: string, max: number, now: number): number {
    const lease = this.leaseOf(identifier, now);
    const extra = leaseSize(lease, max);
    return extra >= 2 && lease.budgetLeft >= HEADROOM * (extra + 1) ? extra : 0;
  }

  /** Redis admitted a query (and `extra` calls for the lease); `budgetLeft` is what it says remains. */
  admitted(identifier: string, extra: number, budgetLeft: number, now: number): void {
    const lease = this.leaseOf(identifier, now);
    lease.thisSecond++;
    lease.budgetLeft = budgetLeft;
    if (extra > 0) this.grant(lease, extra, now);
  }

  /** A lease request Redis refused: no more leases until an exact call says there is room again. */
  refused(identifier: string, now: number): void {
    const lease = this.leaseOf(identifier, now);
    lease.budgetLeft = 0;
  }

  /**
   * The size of the lease to ask for in the background, after `take`, when half of the last one is used;
   * 0 when none is due. The caller reports the answer with `refilled`.
   */
  refillDue(identifier: string, max: number, now: number): number {
    const lease = this.leaseOf(identifier, now);
    if (lease.refilling || lease.left > lease.granted / 2) return 0;
    const extra = leaseSize(lease, max);
    if (extra < 2 || lease.budgetLeft < HEADROOM * extra) return 0;
    lease.refilling = true;
    return extra;
  }

  /** The answer to a background refill: `granted` calls (0 if Redis refused), `budgetLeft` remaining. */
  refilled(identifier: string, granted: number, budgetLeft: number, now: number): void {
    const lease = this.leaseOf(identifier, now);
    lease.refilling = false;
    lease.budgetLeft = budgetLeft;
    if (granted > 0) this.grant(lease, granted, now);
  }

  private grant(lease: Lease, calls: number, now: number): void {
    lease.left += calls;
    lease.granted = calls;
    lease.expiresAt = now + LEASE_TTL_MS;
  }

  clear(): void {
    this.leases.clear();
  }
}
