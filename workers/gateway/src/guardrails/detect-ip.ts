import { type PiiMatch, regexMatches } from "./pii-match";

const OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
// Not part of a longer dotted number (version strings like 1.2.3.4.5).
const IPV4 = new RegExp(`(?<![\\d.])${OCTET}(?:\\.${OCTET}){3}(?!\\.?\\d)`, "g");
// Hex groups and colons, not glued to a word (so `std::vector` is no address); validated below.
const IPV6_CANDIDATE = /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|\d{1,3}(?:\.\d{1,3}){3})?(?![\w:])/g;

function isIpv4(candidate: string): boolean {
  return new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`).test(candidate);
}

/** RFC 4291 text forms: eight groups, or fewer with one `::`, optionally ending in dotted IPv4. */
export function isIpv6(candidate: string): boolean {
  if (!/[0-9A-Fa-f]/.test(candidate)) return false;
  let text = candidate;
  let groupsNeeded = 8;
  const lastColon = text.lastIndexOf(":");
  if (text.slice(lastColon + 1).includes(".")) {
    if (!isIpv4(text.slice(lastColon + 1))) return false;
    text = `${text.slice(0, lastColon + 1)}0`;
    groupsNeeded = 7;
  }
  const halves = text.split("::");
  if (halves.length > 2) return false;
  const groupsOf = (half: string) => (half === "" ? [] : half.split(":"));
  const groups = halves.flatMap(groupsOf);
  if (!groups.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  return halves.length === 2 ? groups.length < groupsNeeded : groups.length === groupsNeeded;
}

export function detectIp(text: string): PiiMatch[] {
  return [...regexMatches(text, IPV4, "ip_address"), ...regexMatches(text, IPV6_CANDIDATE, "ip_address", isIpv6)];
}
