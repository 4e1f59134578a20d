/**
 * Sets `Config.v8Flags` in a workerd config given as a Cap'n Proto stream message (what Miniflare pipes to
 * `workerd serve --binary -`). Miniflare has no option for V8 flags, so the flags go in here, on the way.
 *
 * Layout facts used (capnproto.org/encoding.html): the stream starts with (segment count − 1) and each
 * segment's size in words, padded to 8 bytes; the root pointer is word 0 of segment 0; `v8Flags` is pointer
 * slot 2 of the root `Config` struct (workerd's config.capnp: services @0, sockets @1, v8Flags @2). The
 * flags are written to a new segment, reached from that slot by a far pointer, so nothing already encoded moves.
 */

const WORD = 8;

/** @returns {{ segments: Buffer[] }} */
function readSegments(message) {
  const count = message.readUInt32LE(0) + 1;
  const headerBytes = Math.ceil((4 * (1 + count)) / WORD) * WORD;
  const segments = [];
  let at = headerBytes;
  for (let i = 0; i < count; i++) {
    const words = message.readUInt32LE(4 * (1 + i));
    segments.push(message.subarray(at, at + words * WORD));
    at += words * WORD;
  }
  if (at > message.length) throw new Error("truncated Cap'n Proto message");
  return { segments };
}

function writeSegments(segments) {
  const headerBytes = Math.ceil((4 * (1 + segments.length)) / WORD) * WORD;
  const header = Buffer.alloc(headerBytes);
  header.writeUInt32LE(segments.length - 1, 0);
  segments.forEach((s, i) => header.writeUInt32LE(s.length / WORD, 4 * (1 + i)));
  return Buffer.concat([header, ...segments]);
}

function listPointer(offsetWords, elementSize, count) {
  const word = Buffer.alloc(WORD);
  word.writeUInt32LE(((offsetWords << 2) | 1) >>> 0, 0);
  word.writeUInt32LE(((count << 3) | elementSize) >>> 0, 4);
  return word;
}

/** A segment holding a List(Text) behind a landing pad at word 0. */
function textListSegment(texts) {
  const bodies = texts.map((t) => Buffer.from(`${t}\0`, "utf8"));
  const pointers = [];
  const padded = [];
  // Word 0: the landing pad; words 1..n: one pointer per text; then the texts, each padded to a word.
  let nextWord = 1 + texts.length;
  bodies.forEach((body, i) => {
    const words = Math.ceil(body.length / WORD);
    pointers.push(listPointer(nextWord - (1 + i + 1), 2 /* bytes */, body.length));
    padded.push(Buffer.concat([body, Buffer.alloc(words * WORD - body.length)]));
    nextWord += words;
  });
  return Buffer.concat([listPointer(0, 6 /* pointers */, texts.length), ...pointers, ...padded]);
}

/**
 * Returns the message with `flags` as its v8Flags, or the message unchanged (and why) when it cannot be
 * patched safely: a root that is not a plain struct in segment 0, no v8Flags slot, or flags already set.
 * @param {Buffer} message
 * @param {string[]} flags
 * @returns {{ message: Buffer, patched: boolean, reason?: string }}
 */
export function withV8Flags(message, flags) {
  if (flags.length === 0) return { message, patched: false, reason: "no flags" };
  const { segments } = readSegments(message);
  const root = segments[0];
  const lower = root.readUInt32LE(0);
  const upper = root.readUInt32LE(4);
  if ((lower & 3) !== 0) return { message, patched: false, reason: "root pointer is not a struct pointer" };
  const structWord = 1 + (lower >> 2);
  const dataWords = upper & 0xffff;
  const pointerCount = upper >>> 16;
  if (pointerCount < 3) return { message, patched: false, reason: "Config has no v8Flags slot" };
  const slot = (structWord + dataWords + 2) * WORD;
  if (root.readUInt32LE(slot) !== 0 || root.readUInt32LE(slot + 4) !== 0)
    return { message, patched: false, reason: "v8Flags already set" };

  const patchedRoot = Buffer.from(root);
  // Far pointer: kind 2, single landing pad at word 0 of the new segment.
  patchedRoot.writeUInt32LE(2, slot);
  patchedRoot.writeUInt32LE(segments.length, slot + 4);
  return { message: writeSegments([patchedRoot, ...segments.slice(1), textListSegment(flags)]), patched: true };
}

/** Reads Config.v8Flags back (for tests): follows the far pointer written by withV8Flags. */
export function readV8Flags(message) {
  const { segments } = readSegments(message);
  const root = segments[0];
  const lower = root.readUInt32LE(0);
  const upper = root.readUInt32LE(4);
  const slot = (1 + (lower >> 2) + (upper & 0xffff) + 2) * WORD;
  if (root.readUInt32LE(slot) === 0 && root.readUInt32LE(slot + 4) === 0) return [];
  if ((root.readUInt32LE(slot) & 7) !== 2) throw new Error("readV8Flags reads only what withV8Flags wrote");
  const segment = segments[root.readUInt32LE(slot + 4)];
  const pad = root.readUInt32LE(slot) >>> 3;
  const count = segment.readUInt32LE(pad * WORD + 4) >>> 3;
  const first = pad + 1 + (segment.readInt32LE(pad * WORD) >> 2);
  const flags = [];
  for (let i = 0; i < count; i++) {
    const at = (first + i) * WORD;
    const start = first + i + 1 + (segment.readInt32LE(at) >> 2);
    const length = segment.readUInt32LE(at + 4) >>> 3;
    flags.push(segment.subarray(start * WORD, start * WORD + length - 1).toString("utf8"));
  }
  return flags;
}
