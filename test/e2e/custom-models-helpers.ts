/**
 * Helpers of the custom-model e2e tests: publish an MLflow model directory with the real
 * `infra/publish-model.mjs` process, serve it from an endpoint, query its invocations URL.
 */
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { expect } from "vitest";
import { api, e2e, ok, uniqueName, waitUntilReady, type ApiResponse } from "./helpers";

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, "../..");

/** Publishes `dir` as a new registered model (Unity-Catalog style name) and returns its name and version. */
export async function publishModel(dir: string, label: string): Promise<{ name: string; version: string }> {
  const { url, adminToken } = e2e();
  const name = `main.default.e2e_${label}_${crypto.randomBytes(3).toString("hex")}`;
  const { stdout, stderr } = await run(
    process.execPath,
    [path.join(repoRoot, "infra/publish-model.mjs"), dir, "--name", name, "--host", url, "--token", adminToken],
    {
      maxBuffer: 10 * 1024 * 1024,
    },
  );
  expect(stderr).toContain(`Created registered model ${name}.`);
  expect(stderr).not.toContain(adminToken);
  return { name, version: stdout.trim() };
}

/** Creates an endpoint serving one registry model version and waits until it is READY. */
export async function serveModel(entityName: string, entityVersion: string, prefix: string): Promise<string> {
  const name = uniqueName(prefix);
  await ok(
    api("POST", "/api/2.0/serving-endpoints", {
      body: {
        name,
        config: {
          served_entities: [
            {
              entity_name: entityName,
              entity_version: entityVersion,
              workload_size: "Small",
              scale_to_zero_enabled: true,
            },
          ],
        },
      },
    }),
  );
  await waitUntilReady(name, 120_000);
  return name;
}

/** POSTs to the endpoint's invocations URL: a JSON value, or a raw string with its own content type. */
export async function invoke(endpoint: string, body: unknown, contentType = "application/json"): Promise<ApiResponse> {
  return api("POST", `/serving-endpoints/${endpoint}/invocations`, {
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers: { "content-type": contentType },
  });
}

/** Asserts two (nested) numeric arrays have the same shape and agree to `tolerance` everywhere. */
export function expectClose(actual: unknown, expected: unknown, tolerance: number, where = "predictions"): void {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${where} should be a list, got ${JSON.stringify(actual)?.slice(0, 200)}`).toBe(true);
    expect((actual as unknown[]).length, `${where} length`).toBe(expected.length);
    expected.forEach((e, i) => expectClose((actual as unknown[])[i], e, tolerance, `${where}[${i}]`));
    return;
  }
  expect(typeof actual, `${where} should be a number`).toBe("number");
  expect(Math.abs((actual as number) - (expected as number)), `${where}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    tolerance,
  );
}

/** `rows` as CSV with a header, numbers written as JavaScript prints them (round-trips doubles). */
export function toCsv(columns: string[], rows: number[][]): string {
  const cell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return `${[columns.map(cell).join(","), ...rows.map((r) => r.join(","))].join("\n")}\n`;
}
