#!/usr/bin/env node
// Production deploy to Cloudflare: `node infra/deploy.mjs [--dry-run]` (needs `wrangler login` or
// CLOUDFLARE_API_TOKEN + CLOUDFLARE_ACCOUNT_ID).
//
//  1. creates what wrangler.toml binds, if missing: the D1 database, the R2 bucket, the KV namespace, the queues;
//  2. writes their ids into wrangler.production.toml (wrangler.toml stays the local-dev config);
//  3. applies the D1 migrations remotely;
//  3b. uploads the built-in models' files to R2 (infra/builtin-models.mjs);
//  4. deploys with EDGESERVE_ADMIN_TOKEN / EDGESERVE_MASTER_KEY as secrets (uploaded with the deployment via
//     --secrets-file, so a first deploy needs no interactive "create the Worker?" prompt). A secret is only
//     sent when given in the environment or when the Worker does not have it yet: re-running never rotates
//     the master key (that would make every stored secret unreadable).
//
// --dry-run prints the commands without running any and writes nothing.
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { BUCKET_NAME, builtinModelFiles } from "./builtin-models.mjs";
import { ensureConsoleBuilt } from "./console-build.mjs";

const repoRoot = path.resolve(import.meta.dirname, "..");
const dryRun = process.argv.includes("--dry-run");
const baseConfig = path.join(repoRoot, "wrangler.toml");
// Relative: wrangler runs in the repo root, and the printed commands stay copy-pasteable.
const prodConfig = "wrangler.production.toml";
const localDir = path.join(repoRoot, ".edgeserve");

const toml = fs.readFileSync(baseConfig, "utf8");
/** The first `key = "value"` after `[[section]]` in wrangler.toml. */
function tomlValue(section, key) {
  const block = toml.split(`[[${section}]]`)[1] ?? "";
  const m = new RegExp(`^\\s*${key}\\s*=\\s*"([^"]*)"`, "m").exec(block);
  if (!m) throw new Error(`wrangler.toml: no ${key} in [[${section}]]`);
  return m[1];
}

/** Every `key = "value"` after any `[[section]]` in wrangler.toml, in order, without repeats. */
function tomlValues(section, key) {
  const values = toml
    .split(`[[${section}]]`)
    .slice(1)
    .map((block) => new RegExp(`^\\s*${key}\\s*=\\s*"([^"]*)"`, "m").exec(block.split(/^\[/m)[0])?.[1])
    .filter(Boolean);
  return [...new Set(values)];
}

const names = {
  worker: /^name\s*=\s*"([^"]+)"/m.exec(toml)?.[1] ?? "edgeserve-gateway",
  d1: tomlValue("d1_databases", "database_name"),
  r2: tomlValue("r2_buckets", "bucket_name"),
  kv: "edgeserve-cache",
  // Every queue the gateway produces to, and every dead-letter queue its consumers name.
  queues: [
    ...new Set([...tomlValues("queues.producers", "queue"), ...tomlValues("queues.consumers", "dead_letter_queue")]),
  ],
};

function show(args) {
  return `wrangler ${args.map((a) => (/[\s"{}]/.test(a) ? JSON.stringify(a) : a)).join(" ")}`;
}

/** Runs wrangler (the repo's pinned one); in --dry-run mode only prints the command. */
function wrangler(args, { allowFailure = false, capture = true, input } = {}) {
  console.log(`$ ${show(args)}`);
  if (dryRun) return { ok: true, out: "" };
  const r = spawnSync(
    process.execPath,
    [path.join(repoRoot, "node_modules", "wrangler", "bin", "wrangler.js"), ...args],
    {
      cwd: repoRoot,
      encoding: "utf8",
      input,
      stdio: [input === undefined ? "ignore" : "pipe", capture ? "pipe" : "inherit", capture ? "pipe" : "inherit"],
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    },
  );
  const out = `${r.stdout ?? ""}${r.stderr ?? ""}`;
  if (r.status !== 0 && !allowFailure) throw new Error(`${show(args)} failed (exit ${r.status}):\n${out}`);
  return { ok: r.status === 0, out };
}

/** Parses the JSON that `--json` list commands print (wrangler may print banners around it). */
function jsonIn(text) {
  const start = text.search(/[[{]/);
  return start < 0 ? null : JSON.parse(text.slice(start));
}

function ensureD1() {
  const find = () => jsonIn(wrangler(["d1", "list", "--json"]).out)?.find((d) => d.name === names.d1)?.uuid;
  if (dryRun) {
    wrangler(["d1", "list", "--json"]);
    wrangler(["d1", "create", names.d1]);
    return "<d1-database-id>";
  }
  let id = find();
  if (!id) {
    wrangler(["d1", "create", names.d1], { capture: false });
    id = find();
  }
  if (!id) throw new Error(`D1 database ${names.d1} not found after creating it`);
  return id;
}

function ensureKv() {
  const find = () => jsonIn(wrangler(["kv", "namespace", "list"]).out)?.find((n) => n.title === names.kv)?.id;
  if (dryRun) {
    wrangler(["kv", "namespace", "list"]);
    wrangler(["kv", "namespace", "create", names.kv]);
    return "<kv-namespace-id>";
  }
  let id = find();
  if (!id) {
    wrangler(["kv", "namespace", "create", names.kv], { capture: false });
    id = find();
  }
  if (!id) throw new Error(`KV namespace ${names.kv} not found after creating it`);
  return id;
}

/** R2 buckets and queues are bound by name: creating one that exists is the only failure we accept. */
function ensureByName(args) {
  const r = wrangler(args, { allowFailure: true });
  if (!r.ok && !/already exists|already taken|already own/i.test(r.out))
    throw new Error(`${show(args)} failed:\n${r.out}`);
}

/** Uploads the built-in models' files (npm packages) to R2, where the inference worker loads them. */
function uploadBuiltinModels() {
  if (BUCKET_NAME !== names.r2)
    throw new Error(`infra/builtin-models.mjs uploads to ${BUCKET_NAME}, but wrangler.toml binds ${names.r2}`);
  for (const [key, file] of builtinModelFiles())
    wrangler(["r2", "object", "put", `${names.r2}/${key}`, "--file", path.relative(repoRoot, file), "--remote"]);
}

function writeProductionConfig(ids) {
  const header = "# GENERATED by infra/deploy.mjs from wrangler.toml with the production resource ids. Do not edit.\n";
  const text = toml
    .replace(/(\[\[d1_databases\]\][^[]*?database_id\s*=\s*)"[^"]*"/, `$1"${ids.d1}"`)
    .replace(/(\[\[kv_namespaces\]\][^[]*?\bid\s*=\s*)"[^"]*"/, `$1"${ids.kv}"`);
  console.log(`# write ${prodConfig} (d1 ${ids.d1}, kv ${ids.kv})`);
  if (!dryRun) fs.writeFileSync(path.join(repoRoot, prodConfig), header + text);
}

/** A secret's value: from the environment, else kept in .edgeserve/production-<name>, else generated there. */
function secretValue(envName, file, generate) {
  if (process.env[envName]) return { value: process.env[envName], source: "env" };
  const kept = path.join(localDir, file);
  if (fs.existsSync(kept)) return { value: fs.readFileSync(kept, "utf8").trim(), source: kept };
  return { value: generate(), source: kept, generatedInto: kept };
}

function secretsToUpload() {
  const existing = new Set();
  const listed = wrangler(["secret", "list", "--config", prodConfig, "--format", "json"], { allowFailure: true });
  if (listed.ok && !dryRun) for (const s of jsonIn(listed.out) ?? []) existing.add(s.name);

  const wanted = {
    EDGESERVE_ADMIN_TOKEN: secretValue(
      "EDGESERVE_ADMIN_TOKEN",
      "production-admin-token",
      () => `dapi${crypto.randomBytes(16).toString("hex")}`,
    ),
    EDGESERVE_MASTER_KEY: secretValue("EDGESERVE_MASTER_KEY", "production-master-key", () =>
      crypto.randomBytes(32).toString("base64"),
    ),
  };
  const upload = {};
  for (const [name, s] of Object.entries(wanted)) {
    if (s.source !== "env" && existing.has(name)) {
      console.log(`# ${name}: already set on the Worker; keeping it`);
      continue;
    }
    upload[name] = s.value;
    if (s.generatedInto) {
      console.log(`# ${name}: generated and kept in ${path.relative(repoRoot, s.generatedInto)} (back it up)`);
      if (!dryRun) {
        fs.mkdirSync(localDir, { recursive: true });
        fs.writeFileSync(s.generatedInto, `${s.value}\n`, { mode: 0o600 });
      }
    } else console.log(`# ${name}: from ${s.source === "env" ? "the environment" : path.relative(repoRoot, s.source)}`);
  }
  return upload;
}

function deploy(secrets) {
  const args = ["deploy", "--config", prodConfig];
  if (Object.keys(secrets).length === 0) return wrangler(args, { capture: false });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "edgeserve-deploy-"));
  const file = path.join(dir, "secrets.json");
  try {
    if (!dryRun) fs.writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
    return wrangler([...args, "--secrets-file", file], { capture: false });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

try {
  if (dryRun) console.log("# dry run: printing the commands, running none");
  const ids = { d1: ensureD1(), kv: ensureKv() };
  ensureByName(["r2", "bucket", "create", names.r2]);
  uploadBuiltinModels();
  for (const q of names.queues) ensureByName(["queues", "create", q]);
  writeProductionConfig(ids);
  wrangler(["d1", "migrations", "apply", "DB", "--remote", "--config", prodConfig], { capture: false });
  // The inference worker first: the gateway's INFERENCE service binding must find it.
  wrangler(["deploy", "--config", "workers/inference/wrangler.toml"], { capture: false });
  // The gateway uploads the console (wrangler.toml [assets]) with its code.
  await ensureConsoleBuilt();
  deploy(secretsToUpload());
  console.log(dryRun ? "# dry run complete" : `Deployed ${names.worker}.`);
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}
