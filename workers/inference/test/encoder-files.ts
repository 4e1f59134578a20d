import { env } from "cloudflare:workers";
import { ENCODER_PREFIX } from "../src/builtin-embeddings/model-files";

/** A file of the npm model package, read through the MODEL_PACKAGE binding. */
export async function packageFile(name: string): Promise<ArrayBuffer> {
  const res = await env.MODEL_PACKAGE.fetch(`https://model-package/${name}`);
  if (!res.ok) throw new Error(`model package has no ${name}`);
  return res.arrayBuffer();
}

/** Copies the model package into R2 as infra/local-stack.mjs does for `pnpm dev`. */
export async function seedEncoderFiles(): Promise<void> {
  const modelJson = JSON.parse(new TextDecoder().decode(await packageFile("model.json"))) as {
    weightsManifest: Array<{ paths: string[] }>;
  };
  const files = ["model.json", "vocab.json", ...modelJson.weightsManifest.flatMap((g) => g.paths)];
  for (const file of files) await env.ARTIFACTS.put(ENCODER_PREFIX + file, await packageFile(file));
}
