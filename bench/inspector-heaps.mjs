// Each worker's V8 heap in a running workerd, through its inspector (DevTools protocol): the heap in use, the
// heap after a full GC (what is live, so growth there is retained memory, not garbage not yet collected), and
// heap snapshots summarised by constructor to find what grows. For bench/sustained.mjs.
// workerd's inspector does not answer HeapProfiler.collectGarbage (it serves a subset of the protocol), but it
// does take heap snapshots, and V8 runs full GCs before it writes one: the heap in use read right after a
// snapshot is the heap after GC, and the snapshot itself lists what is live.
import { openDevtoolsSession } from "./devtools-session.mjs";

const mib = (bytes) => Math.round((bytes / 1048576) * 100) / 100;

/**
 * An isolate's name: a user worker's own (Miniflare's target is `core:user:<name>`), else the target id of
 * one of Miniflare's workers: the simulators (`d1:db…`, `queues:queue…`, `r2:bucket…`, `kv:ns…`, `cache:…`),
 * the static-assets router and proxies in front of the gateway (`assets:…:edgeserve-gateway`) and the entry
 * worker.
 * Matching only the user worker's exact target matters: the assets workers' ids also contain its name.
 */
function isolateName(targetId) {
  const user = /^core:user:(.+)$/.exec(targetId)?.[1];
  return user ?? targetId;
}

/**
 * One DevTools session per isolate of the workerd process (inspector target), opened once and kept for the
 * run (a session per sample went unanswered under load). A call not answered within `timeoutMs` resolves to
 * null. Snapshots are summarised for the isolates named in `summarize` only.
 */
export async function openHeapSessions(inspectorPort, { timeoutMs = 60_000, summarize = [] } = {}) {
  const targets = await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json();
  const sessions = [];
  for (const target of targets) {
    const name = isolateName(target.id);
    let chunks = null;
    const { call, close } = await openDevtoolsSession(target.webSocketDebuggerUrl, {
      timeoutMs,
      onEvent: (msg) => {
        if (msg.method === "HeapProfiler.addHeapSnapshotChunk") chunks?.push(msg.params.chunk);
      },
    });
    const snapshot = async () => {
      chunks = [];
      const done = await call("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
      const text = chunks.join("");
      chunks = null;
      return done ? JSON.parse(text) : null;
    };
    sessions.push({ name, close, call, snapshot });
  }
  return {
    targets: targets.map((t) => `${t.id} (${t.title})`),
    /**
     * Per worker: heap in use now (MiB, garbage included); then a heap snapshot (full GCs first), summarised by
     * constructor (summarizeSnapshot); then the heap in use and allocated after those GCs. Null where the
     * inspector did not answer.
     */
    async read() {
      const heaps = {};
      const snapshots = {};
      for (const s of sessions) {
        const before = await s.call("Runtime.getHeapUsage");
        const snap = await s.snapshot();
        const after = snap && (await s.call("Runtime.getHeapUsage"));
        if (summarize.includes(s.name)) snapshots[s.name] = snap ? summarizeSnapshot(snap) : null;
        heaps[s.name] = {
          used_mib: before ? mib(before.usedSize) : null,
          after_gc_mib: after ? mib(after.usedSize) : null,
          allocated_after_gc_mib: after ? mib(after.totalSize) : null,
        };
      }
      return { heaps, snapshots };
    },
    close() {
      for (const s of sessions) s.close();
    },
  };
}

/**
 * A V8 heap snapshot grouped as DevTools' Summary view groups it: objects and closures by constructor name,
 * strings, arrays, compiled code and V8's internals each as one group. Count and self (shallow) size per group;
 * retained sizes need the dominator tree and are not computed.
 */
function summarizeSnapshot(snapshot) {
  const { node_fields: fields, node_types: types } = snapshot.snapshot.meta;
  const typeNames = types[0];
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ["type", "name", "self_size"].map((f) => fields.indexOf(f));
  const { nodes, strings } = snapshot;
  const groups = new Map();
  for (let i = 0; i < nodes.length; i += width) {
    const type = typeNames[nodes[i + typeAt]];
    const name = strings[nodes[i + nameAt]];
    const key = groupOf(type, name);
    const g = groups.get(key) ?? { count: 0, self_bytes: 0 };
    g.count++;
    g.self_bytes += nodes[i + sizeAt];
    groups.set(key, g);
  }
  return groups;
}

function groupOf(type, name) {
  switch (type) {
    case "object":
    case "closure":
    case "native":
      return `${name}${type === "closure" ? "()" : ""}`;
    case "string":
    case "concatenated string":
    case "sliced string":
    case "symbol":
      return `(${type === "symbol" ? "symbol" : "string"})`;
    case "array":
      return `(array ${name})`;
    case "code":
      return "(compiled code)";
    default:
      return `(${type})`;
  }
}

/** The groups whose self size grew most from `before` to `after` (both summarizeSnapshot maps), largest first. */
export function snapshotGrowth(before, after, top = 15) {
  const keys = new Set([...before.keys(), ...after.keys()]);
  const rows = [...keys].map((key) => {
    const a = before.get(key) ?? { count: 0, self_bytes: 0 };
    const b = after.get(key) ?? { count: 0, self_bytes: 0 };
    return {
      group: key,
      count_before: a.count,
      count_after: b.count,
      self_kib_before: Math.round(a.self_bytes / 102.4) / 10,
      self_kib_after: Math.round(b.self_bytes / 102.4) / 10,
      growth_bytes: b.self_bytes - a.self_bytes,
    };
  });
  const total = (m) => [...m.values()].reduce((n, g) => n + g.self_bytes, 0);
  return {
    total_mib_before: mib(total(before)),
    total_mib_after: mib(total(after)),
    top: rows.sort((x, y) => y.growth_bytes - x.growth_bytes).slice(0, top),
  };
}
