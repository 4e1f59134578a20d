import { describe, expect, it } from "vitest";
import { cutoffMs, retentionSettings } from "./retention-settings";

describe("retentionSettings", () => {
  it("uses the defaults when unset or empty, and whole numbers of days at or above the minimum as given", () => {
    expect(retentionSettings({})).toEqual({ usageDays: 90, payloadLogDays: 30 });
    expect(
      retentionSettings({ EDGESERVE_USAGE_RETENTION_DAYS: " ", EDGESERVE_PAYLOAD_LOG_RETENTION_DAYS: "" }),
    ).toEqual({ usageDays: 90, payloadLogDays: 30 });
    expect(
      retentionSettings({ EDGESERVE_USAGE_RETENTION_DAYS: "30", EDGESERVE_PAYLOAD_LOG_RETENTION_DAYS: "1" }),
    ).toEqual({ usageDays: 30, payloadLogDays: 1 });
    expect(
      retentionSettings({ EDGESERVE_USAGE_RETENTION_DAYS: "3650", EDGESERVE_PAYLOAD_LOG_RETENTION_DAYS: " 400 " }),
    ).toEqual({ usageDays: 3650, payloadLogDays: 400 });
  });

  it("refuses, naming the variable, anything else rather than fall back to a default", () => {
    for (const value of ["29", "0", "-90", "90.5", "1e3", "ninety", "90 days"]) {
      expect(() => retentionSettings({ EDGESERVE_USAGE_RETENTION_DAYS: value }), value).toThrow(
        `EDGESERVE_USAGE_RETENTION_DAYS must be a whole number of days, at least 30 (got '${value}')`,
      );
    }
    for (const value of ["0", "-1", "0.5", "x"]) {
      expect(() => retentionSettings({ EDGESERVE_PAYLOAD_LOG_RETENTION_DAYS: value }), value).toThrow(
        `EDGESERVE_PAYLOAD_LOG_RETENTION_DAYS must be a whole number of days, at least 1 (got '${value}')`,
      );
    }
  });

  it("cuts off exactly that many days before now", () => {
    expect(cutoffMs(Date.UTC(2026, 0, 31, 12), 30)).toBe(Date.UTC(2026, 0, 1, 12));
  });
});
