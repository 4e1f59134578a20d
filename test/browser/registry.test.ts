/**
 * The registry pages and "publish a model version" in the browser: a real trained model (test/fixtures/models)
 * uploaded from disk through the artifact proxy in parts, registered, and shown READY with its signature; a
 * caller who may not write the model sees the upload's progress stop with the API's own error.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, e2e, ok, uniqueName } from "../e2e/helpers";
import { expectAccessible, launchChromium, newPage, screenshot, servicePrincipalToken, signIn } from "./browser";

const modelDir = path.resolve(import.meta.dirname, "../fixtures/models/sklearn-diabetes-ridge");
const MiB = 1024 * 1024;
/** The same model with one more file of 6 MiB + 1 byte: with 5 MiB parts it goes up in two. */
const largerModelDir = fs.mkdtempSync(path.join(os.tmpdir(), "edgeserve-console-model-"));
fs.cpSync(modelDir, largerModelDir, { recursive: true });
fs.mkdirSync(path.join(largerModelDir, "extra"));
fs.writeFileSync(path.join(largerModelDir, "extra/weights.bin"), crypto.randomBytes(6 * MiB + 1));
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  page = await newPage(browser);
  await signIn(page, e2e().adminToken, "/registry");
});
afterAll(async () => {
  await browser?.close();
  fs.rmSync(largerModelDir, { recursive: true, force: true });
});

describe("publishing a model version from the console", () => {
  const model = `main.console.${uniqueName("ridge").replaceAll("-", "_")}`;

  it("uploads a trained model in parts and shows the version READY with its signature", async () => {
    // The part PUTs as the network sent them (a Blob body is not in postData; its Content-Length is).
    const partUploads: Promise<{ url: string; length: number }>[] = [];
    page.on("requestfinished", (request) => {
      if (request.method() === "PUT" && request.url().includes("/mlflow-artifacts/mpu/upload-part/"))
        partUploads.push(
          request.allHeaders().then((h) => ({ url: request.url(), length: Number(h["content-length"]) })),
        );
    });
    await page.goto("/registry");
    await page.getByRole("heading", { name: "Publish a model version" }).waitFor();
    await page.getByLabel("Registered model").fill(model);
    await page.getByLabel("Alias (optional)").fill("champion");
    await page.getByLabel("Model directory").setInputFiles(largerModelDir);
    // The MLmodel is read before anything is sent: its flavors show at once.
    await page.getByText(/9 files, 6\.0 MiB; flavors: python_function, sklearn, onnx/).waitFor();
    await page.getByText("Upload settings").click();
    // Every non-empty file goes through the multipart API: one part each, two for the 6 MiB one.
    await page.getByLabel("Send in parts files over (MiB)").fill("0");
    await page.getByLabel("Part size (MiB)").fill("5");
    await expectAccessible(page, "the publish form");
    await page.getByRole("button", { name: "Publish" }).click();

    await page.getByRole("heading", { name: `${model} version 1` }).waitFor({ timeout: 60_000 });
    expect(new URL(page.url()).pathname).toBe(`/registry/${model}/1`);
    await page.getByRole("definition").filter({ hasText: "READY" }).waitFor();
    await page.getByRole("definition").filter({ hasText: "champion" }).waitFor();
    const inputs = page.getByRole("table", { name: "Inputs" });
    await inputs.getByRole("cell", { name: "bmi" }).waitFor();
    expect(await inputs.getByRole("row").count()).toBe(11); // header + the 10 diabetes columns
    expect(await inputs.getByRole("cell", { name: "double" }).count()).toBe(10);
    await page.getByRole("table", { name: "Outputs" }).getByRole("cell", { name: "double" }).waitFor();
    await expectAccessible(page, "a model version");
    await screenshot(page, "registry-version");

    // The API agrees: the version is there, and the bytes that arrived are the files'.
    const files = fs.readdirSync(modelDir);
    const parts = await Promise.all(partUploads);
    expect(parts.length).toBe(files.filter((f) => fs.statSync(path.join(modelDir, f)).size > 0).length + 2);
    const weightParts = parts.filter((u) => u.url.includes("/extra/weights.bin?"));
    expect(weightParts.map((u) => [new URL(u.url).searchParams.get("part_number"), u.length])).toEqual([
      ["1", 5 * MiB],
      ["2", MiB + 1],
    ]);
    const { model_version: version } = await ok(
      api("GET", `/api/2.0/mlflow/model-versions/get?name=${model}&version=1`),
    );
    expect(version.status).toBe("READY");
    expect(version.aliases).toEqual(["champion"]);
    const dir = version.source.replace("mlflow-artifacts:/", "");
    for (const file of ["MLmodel", "model.onnx", "extra/weights.bin"]) {
      const res = await fetch(`${e2e().url}/api/2.0/mlflow-artifacts/artifacts/${dir}/${file}`, {
        headers: { authorization: `Bearer ${e2e().adminToken}` },
      });
      expect(Buffer.from(await res.arrayBuffer()).equals(fs.readFileSync(path.join(largerModelDir, file))), file).toBe(
        true,
      );
    }

    // The model's page lists it and links to it.
    await page.goto(`/registry/${model}`);
    await page.getByRole("link", { name: "Version 1" }).waitFor();
    await expectAccessible(page, "a registered model");
  });

  it("shows the API's error, and where the upload stopped, when the caller may not write the model", async () => {
    const { token } = await servicePrincipalToken("registry browser test");
    const other = await newPage(browser);
    await signIn(other, token, `/registry/${model}`);
    await other.getByRole("heading", { name: "Publish a model version" }).waitFor();
    await other.getByLabel("Model directory").setInputFiles(modelDir);
    await other.getByText(/8 files/).waitFor();
    await other.getByRole("button", { name: "Publish" }).click();
    await other.getByRole("alert").filter({ hasText: "PERMISSION_DENIED" }).waitFor();
    await other.getByText("Uploading MLmodel failed.").waitFor();
    // The progress stays where the upload stopped: the files after MLmodel were never sent.
    await other.getByText(/^Uploaded .+ of \d+\.\d KiB$/).waitFor();
    const onnx = other.getByRole("progressbar", { name: "model.onnx upload" });
    expect(await onnx.evaluate((el: { value: number; max: number }) => [el.value, el.max])).toEqual([0, 411]);
    await other.getByRole("cell", { name: "0 B / 411 B" }).waitFor();
    await expectAccessible(other, "a failed upload");
    // Nothing was registered.
    const versions = await ok(api("GET", `/api/2.0/mlflow/model-versions/search?filter=name='${model}'`));
    expect(versions.model_versions.map((v: { version: string }) => v.version)).toEqual(["1"]);
    await other.context().close();
  });

  it("refuses a directory that is not an MLflow model before sending anything", async () => {
    await page.goto("/registry");
    await page
      .getByLabel("Model directory")
      .setInputFiles(path.resolve(import.meta.dirname, "../fixtures/models/build"));
    await page.getByRole("alert").filter({ hasText: "no MLmodel file" }).waitFor();
    expect(await page.getByRole("button", { name: "Publish" }).isDisabled()).toBe(true);
  });
});
