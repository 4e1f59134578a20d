import type { Say } from "../endpoints/entity-check";
import { callModelServer } from "./call-model-server";
import { type OipModelMetadata, type OipTensorMetadata, isOipDatatype } from "./oip-protocol";
import type { ModelServerPlacement } from "./placement";

/** Readiness calls are short: a server that takes longer is not ready to serve. */
const READINESS_TIMEOUT_MS = 10_000;

export type Readiness = { ready: true; metadata?: OipModelMetadata } | { ready: false; reason: string };

const notReady = (reason: string): Readiness => ({ ready: false, reason });

/**
 * Whether a model server is ready to serve a placement, logging each call to the build log. MLflow scoring
 * server: `GET /ping`. OIP v2: `GET /v2/health/ready`, then the model's ready endpoint; a model that is not
 * ready is loaded through the repository extension (`POST /v2/repository/models/{m}/load`) where the server
 * has it, and checked again; then its metadata (tensor names, datatypes and shapes) is read for the queries.
 */
export async function checkReadiness(
  placement: ModelServerPlacement,
  token: string | undefined,
  say: Say,
): Promise<Readiness> {
  for (let attempt = 1; ; attempt++) {
    const readiness = await checkOnce(placement, token, say);
    if (readiness.ready || !readiness.unreachable || attempt === UNREACHABLE_ATTEMPTS) return readiness;
    // A server restarting, or a kept-alive connection it closed, is not a server that is down.
    say(`${readiness.reason} Trying again in ${UNREACHABLE_PAUSE_MS / 1000} s.`, "WARN");
    await new Promise((resolve) => setTimeout(resolve, UNREACHABLE_PAUSE_MS));
  }
}

/** How often an unreachable server is tried before the deployment gives up on it, and the pause between. */
const UNREACHABLE_ATTEMPTS = 3;
const UNREACHABLE_PAUSE_MS = 1000;

async function checkOnce(
  placement: ModelServerPlacement,
  token: string | undefined,
  say: Say,
): Promise<Readiness & { unreachable?: boolean }> {
  const call = (path: string, method: "GET" | "POST" = "GET") =>
    callModelServer(
      { server: placement.server, url: `${placement.base_url}${path}`, timeoutMs: READINESS_TIMEOUT_MS, token },
      { method },
    );
  const where = `model server '${placement.server}' (${placement.protocol}, ${placement.base_url})`;
  try {
    if (placement.protocol === "mlflow") {
      const ping = await call("/ping");
      if (ping.status !== 200) return notReady(`GET /ping on ${where} answered HTTP ${ping.status}.`);
      say(`GET /ping on ${where}: ready.`);
      return { ready: true } as const;
    }
    const health = await call("/v2/health/ready");
    if (health.status !== 200) return notReady(`GET /v2/health/ready on ${where} answered HTTP ${health.status}.`);
    say(`GET /v2/health/ready on ${where}: ready.`);
    const model = `/v2/models/${encodeURIComponent(placement.model!)}`;
    const versioned = `${model}/versions/${encodeURIComponent(placement.version!)}`;
    const modelReady = await call(`${versioned}/ready`);
    if (modelReady.status !== 200) {
      say(`GET ${versioned}/ready answered HTTP ${modelReady.status}: loading it.`);
      const load = await call(`/v2/repository/models/${encodeURIComponent(placement.model!)}/load`, "POST");
      if (load.status === 404 || load.status === 405 || load.status === 501)
        return notReady(
          `Model '${placement.model}' version ${placement.version} is ` +
            `not ready on ${where}, and the server has no repository extension ` +
            `to load it (HTTP ${load.status}); load it on the server.`,
        );
      if (load.status !== 200)
        return notReady(`POST /v2/repository/models/${placement.model}/load on ${where} answered HTTP ${load.status}.`);
      const again = await call(`${versioned}/ready`);
      if (again.status !== 200)
        return notReady(
          `Model '${placement.model}' version ${placement.version} ` +
            `is still not ready after loading (HTTP ${again.status}).`,
        );
      say(`Loaded model '${placement.model}' through the repository extension; it is ready.`);
    } else say(`GET ${versioned}/ready: ready.`);
    const metadata = parseMetadata((await call(versioned)).text);
    if (metadata)
      say(
        `Model metadata: inputs ${metadata.inputs.map(describe).join(", ")}; ` +
          `outputs ${metadata.outputs.map(describe).join(", ")}.`,
      );
    else say(`GET ${versioned} gave no tensor metadata: datatypes come from the MLflow signature.`, "WARN");
    return { ready: true, ...(metadata && { metadata }) } as const;
  } catch (e) {
    return {
      ...notReady(`${where} is not reachable: ${e instanceof Error ? e.message : String(e)}`),
      unreachable: true,
    };
  }
}

const describe = (t: OipTensorMetadata) => `${t.name} ${t.datatype} [${t.shape.join(", ")}]`;

function parseTensors(value: unknown): OipTensorMetadata[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const tensors = value.filter(
    (t): t is OipTensorMetadata =>
      typeof t?.name === "string" &&
      isOipDatatype(t.datatype) &&
      Array.isArray(t.shape) &&
      t.shape.every(Number.isInteger),
  );
  return tensors.length === value.length
    ? tensors.map(({ name, datatype, shape }) => ({ name, datatype, shape }))
    : undefined;
}

/** The tensors of `GET /v2/models/{m}` (both lists valid), or undefined when the server gives none. */
function parseMetadata(text: string): OipModelMetadata | undefined {
  try {
    const body = JSON.parse(text) as { inputs?: unknown; outputs?: unknown };
    const inputs = parseTensors(body.inputs);
    const outputs = parseTensors(body.outputs);
    return inputs && outputs && inputs.length > 0 ? { inputs, outputs } : undefined;
  } catch {
    return undefined;
  }
}
