import { describe, expect, it } from "vitest";
import { detectIp, isIpv6 } from "./detect-ip";

const found = (text: string) => detectIp(text).map((m) => text.slice(m.start, m.end));

describe("isIpv6", () => {
  it.each([
    ["2001:db8:85a3:0:0:8a2e:370:7334", true],
    ["2001:db8::1", true],
    ["::1", true],
    ["fe80::", true],
    ["::ffff:192.168.1.1", true],
    ["1:2:3:4:5:6:7:8:9", false],
    ["1::2::3", false],
    ["12345::1", false],
    ["::", false],
    ["10:30:00", false],
    ["1:2:3:4:5:6:7:8::", false],
  ])("%s → %s", (text, expected) => {
    expect(isIpv6(text)).toBe(expected);
  });
});

describe("detectIp", () => {
  it.each([
    ["server 192.168.0.1 is up", ["192.168.0.1"]],
    ["from 10.0.0.255, to 8.8.8.8.", ["10.0.0.255", "8.8.8.8"]],
    ["v6 2001:db8::ff00:42:8329 here", ["2001:db8::ff00:42:8329"]],
    ["loopback ::1 and fe80::1", ["::1", "fe80::1"]],
    ["out of range 256.1.1.1", []],
    ["version 1.2.3.4.5", []],
    ["at 10:30:00 use std::vector", []],
  ])("%s", (text, expected) => {
    expect(found(text)).toEqual(expected);
  });
});
