// A local stand-in for Upstash Redis: an HTTP server speaking the Upstash REST protocol
// (what @upstash/redis sends) over a real redis-server. Upstash has no local server, and its own
// serverless-redis-http needs Docker. Protocol notes: ../../../shared/reference/toolchain.md.
//
//   POST /            ["CMD", ...args]           → {result} | 400 {error}
//   POST /pipeline    [[...], [...]]             → [{result}|{error}, ...]   (not atomic)
//   POST /multi-exec  [[...], [...]]             → [{result}|{error}, ...]   (MULTI/EXEC, atomic)
//   Authorization: Bearer <token>                  (else 401 {error})
//   Upstash-Encoding: base64                       → every string in a result is base64, except "OK"
//
// Scripts: @upstash/ratelimit's start with `#!lua flags=allow-key-locking`, an Upstash-only flag that
// stock Redis rejects. The bridge strips it before EVAL / SCRIPT LOAD and remembers which SHA the
// original script has, so EVALSHA with the SHA the client computed runs the stripped script.
import crypto from "node:crypto";
import http from "node:http";
import net from "node:net";
import { spawn, spawnSync } from "node:child_process";
import { createClient, RESP_TYPES } from "redis";

const MAX_BODY_BYTES = 10 * 1024 * 1024;

const sha1 = (text) => crypto.createHash("sha1").update(text).digest("hex");

/** The script as stock Redis accepts it: the allow-key-locking flag removed from its shebang. */
export function stripUpstashFlags(script) {
  const match = /^#!lua([^\n]*)(\n|$)/.exec(script);
  if (!match) return script;
  const flagsMatch = /flags=(\S*)/.exec(match[1]);
  if (!flagsMatch) return script;
  const flags = flagsMatch[1].split(",").filter((f) => f && f !== "allow-key-locking");
  const rest = script.slice(match[0].length);
  // Redis requires a shebang to be the very first line; with no flags left, drop it entirely.
  const head = flags.length > 0 ? `#!lua${match[1].replace(flagsMatch[0], `flags=${flags.join(",")}`)}\n` : "\n";
  return head + rest;
}

/** Original-script SHA → SHA of the script Redis actually holds. */
class ScriptShas {
  map = new Map();
  /** Returns the script to send to Redis and records the mapping. */
  prepare(script) {
    const stripped = stripUpstashFlags(script);
    if (stripped !== script) this.map.set(sha1(script), sha1(stripped));
    return stripped;
  }
  resolve(sha) {
    return this.map.get(String(sha).toLowerCase()) ?? sha;
  }
}

/** Rewrites one command so that stock Redis runs it as Upstash would. */
function translate(command, shas) {
  const args = command.map((a) =>
    typeof a === "string"
      ? a
      : a === null || a === undefined
        ? ""
        : typeof a === "object"
          ? JSON.stringify(a)
          : String(a),
  );
  const name = (args[0] ?? "").toUpperCase();
  if ((name === "EVAL" || name === "EVAL_RO") && args.length >= 2) args[1] = shas.prepare(args[1]);
  else if ((name === "EVALSHA" || name === "EVALSHA_RO") && args.length >= 2) args[1] = shas.resolve(args[1]);
  else if (name === "SCRIPT" && args.length >= 3) {
    const sub = args[1].toUpperCase();
    if (sub === "LOAD") {
      const original = args[2];
      args[2] = shas.prepare(original);
      // The client expects the SHA of what it sent.
      return { args, mapResult: () => sha1(original) };
    }
    if (sub === "EXISTS") for (let i = 2; i < args.length; i++) args[i] = shas.resolve(args[i]);
  }
  return { args, mapResult: (r) => r };
}

/** A reply as JSON: buffers (bulk strings) as text or base64; simple strings base64 too, except "OK". */
function encodeReply(value, base64) {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return base64 ? value.toString("base64") : value.toString("utf8");
  if (typeof value === "string")
    return base64 && value !== "OK" ? Buffer.from(value, "utf8").toString("base64") : value;
  if (typeof value === "bigint") return Number(value);
  if (Array.isArray(value)) return value.map((v) => encodeReply(v, base64));
  if (value instanceof Map) return [...value.entries()].flat().map((v) => encodeReply(v, base64));
  if (typeof value === "object" && !(value instanceof Error))
    return Object.entries(value)
      .flat()
      .map((v) => encodeReply(v, base64));
  return value;
}

function isRedisError(value) {
  return value instanceof Error;
}

function entry(value, mapResult, base64) {
  if (isRedisError(value)) return { error: value.message };
  return { result: encodeReply(mapResult(value), base64) };
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on("data", (c) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(Object.assign(new Error("ERR request body too large"), { status: 413 }));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

const isCommand = (c) =>
  Array.isArray(c) &&
  c.length > 0 &&
  c.every((a) => a === null || ["string", "number", "boolean", "object"].includes(typeof a));

/**
 * Starts the bridge. `redisPort` is a running redis-server on 127.0.0.1; `port` 0 picks a free one.
 * @returns {Promise<{url: string, token: string, port: number, close(): Promise<void>}>}
 */
export async function startUpstashBridge({ redisPort, port = 0, token, host = "127.0.0.1", redisHost = "127.0.0.1" }) {
  if (!token) throw new Error("startUpstashBridge: a token is required");
  // RESP2: replies are flat arrays as Upstash returns them (RESP3 would give maps for HGETALL and the like).
  const client = createClient({
    RESP: 2,
    socket: { host: redisHost, port: redisPort, reconnectStrategy: (n) => Math.min(50 * 2 ** n, 2000) },
  });
  client.on("error", (e) => console.error(`upstash-bridge: redis: ${e.message}`));
  await client.connect();
  // Bulk strings as Buffers, so binary values survive base64 encoding; simple strings ("OK", "QUEUED") stay strings.
  const redis = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
  const shas = new ScriptShas();
  const expected = `Bearer ${token}`;

  async function run(command) {
    const { args, mapResult } = translate(command, shas);
    try {
      return { value: await redis.sendCommand(args), mapResult };
    } catch (e) {
      return { value: e instanceof Error ? e : new Error(String(e)), mapResult };
    }
  }

  async function multiExec(commands) {
    const translated = commands.map((c) => translate(c, shas));
    const multi = redis.multi();
    for (const t of translated) multi.addCommand(t.args);
    let replies;
    try {
      replies = await multi.exec();
    } catch (e) {
      // A command failed while the transaction ran: the others still took effect; report each.
      if (e && Array.isArray(e.replies)) replies = e.replies;
      else throw e; // EXECABORT and the like: nothing ran.
    }
    return replies.map((r, i) => ({ value: r, mapResult: translated[i].mapResult }));
  }

  let requests = 0;
  const server = http.createServer(async (req, res) => {
    requests += 1;
    try {
      if (req.headers.authorization !== expected) return send(res, 401, { error: "Unauthorized" });
      if (req.method !== "POST")
        return send(res, 405, { error: "ERR only POST is supported by the local Upstash bridge" });
      const base64 = String(req.headers["upstash-encoding"] ?? "").toLowerCase() === "base64";
      const path = new URL(req.url ?? "/", "http://bridge").pathname.replace(/\/+$/, "") || "/";
      let body;
      try {
        body = JSON.parse(await readBody(req));
      } catch (e) {
        return send(res, e.status ?? 400, {
          error: e.status ? e.message : "ERR failed to parse command: body is not JSON",
        });
      }
      if (path === "/") {
        if (!isCommand(body))
          return send(res, 400, { error: 'ERR failed to parse command: expected a JSON array ["CMD", ...args]' });
        const { value, mapResult } = await run(body);
        if (isRedisError(value)) return send(res, 400, { error: value.message });
        return send(res, 200, { result: encodeReply(mapResult(value), base64) });
      }
      if (path === "/pipeline" || path === "/multi-exec") {
        if (!Array.isArray(body) || body.length === 0 || !body.every(isCommand))
          return send(res, 400, {
            error: "ERR failed to parse pipeline request: expected a non-empty JSON array of commands",
          });
        const replies = path === "/pipeline" ? await Promise.all(body.map(run)) : await multiExec(body);
        return send(
          res,
          200,
          replies.map((r) => entry(r.value, r.mapResult, base64)),
        );
      }
      return send(res, 404, { error: `ERR unknown path ${path}` });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      // Transaction aborted before running (EXECABORT) is the caller's error; anything else is ours.
      const status = /^(EXECABORT|ERR|WRONGTYPE)/.test(message) ? 400 : 500;
      if (!res.headersSent) send(res, status, { error: message });
    }
  });

  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const actualPort = server.address().port;
  return {
    url: `http://${host}:${actualPort}`,
    token,
    port: actualPort,
    /** HTTP requests served so far (tests use it to prove a call made no round trip). */
    get requests() {
      return requests;
    },
    async close() {
      await new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
      await client.quit().catch(() => client.disconnect());
    },
  };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export const REDIS_INSTALL_HINT =
  "redis-server is not installed. Install it with `sudo apt-get " +
  "install -y redis-server` (Debian/Ubuntu; CI does this), " +
  "`brew install redis` (macOS) or see https://redis.io/docs/latest/operate/oss_and_stack/install/. " +
  "Without it, rate limits are not enforced locally.";

/** Whether `redis-server` can be run from PATH (or `bin`). */
export function redisServerAvailable(bin = process.env.REDIS_SERVER_BIN ?? "redis-server") {
  const r = spawnSync(bin, ["--version"], { stdio: "ignore" });
  return !r.error && r.status === 0;
}

/**
 * Starts a throwaway redis-server on a free port (no persistence), and waits until it answers.
 * Throws with REDIS_INSTALL_HINT when redis-server is missing.
 * @returns {Promise<{port: number, stop(): Promise<void>}>}
 */
export async function startRedis({
  port,
  bin = process.env.REDIS_SERVER_BIN ?? "redis-server",
  timeoutMs = 10_000,
} = {}) {
  if (!redisServerAvailable(bin)) throw new Error(REDIS_INSTALL_HINT);
  const redisPort = port ?? (await freePort());
  const child = spawn(bin, ["--bind", "127.0.0.1", "--port", String(redisPort), "--save", "", "--appendonly", "no"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  let exited = null;
  // Never outlive the process that started it (a crashed test run or dev server must not leave it behind).
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.once("exit", (code, signal) => {
    exited = { code, signal };
    process.off("exit", killOnExit);
  });
  const deadline = Date.now() + timeoutMs;
  while (true) {
    if (exited)
      throw new Error(
        `redis-server exited (${exited.code ?? exited.signal}) before accepting connections: ${stderr.trim()}`,
      );
    const up = await new Promise((resolve) => {
      const s = net.connect(redisPort, "127.0.0.1");
      s.once("connect", () => {
        s.end();
        resolve(true);
      });
      s.once("error", () => resolve(false));
    });
    if (up) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`redis-server did not accept connections on port ${redisPort} within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port: redisPort,
    async stop() {
      if (exited) return;
      const gone = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** redis-server + bridge together, for the local stack and tests. `port` 0 picks a free one. */
export async function startLocalUpstash({ port = 0, token = `local-${crypto.randomBytes(12).toString("hex")}` } = {}) {
  const redis = await startRedis();
  try {
    const bridge = await startUpstashBridge({ redisPort: redis.port, port, token });
    return {
      url: bridge.url,
      token,
      redisPort: redis.port,
      async stop() {
        await bridge.close();
        await redis.stop();
      },
    };
  } catch (e) {
    await redis.stop();
    throw e;
  }
}
