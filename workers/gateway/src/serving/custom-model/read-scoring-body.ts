import { ApiError } from "@edgeserve/api";
import { decodeScoringJson } from "@edgeserve/mlflow";
import type { Context } from "hono";
import { readBodyBytes } from "../../http/read-json";

/** 415 with MLflow's message; the body stays our JSON error shape so Databricks clients can read it. */
const unsupported = (message: string) => new ApiError("BAD_REQUEST", message, { status: 415 });

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * Reads a custom-model scoring body as MLflow's scoring server does: `application/json` (or no
 * content type) or `text/csv`, UTF-8 only; any other media type is 415.
 */
export async function readScoringBody(
  c: Context,
  maxBytes: number,
): Promise<{ body: Record<string, unknown>; csv?: string }> {
  const contentType = c.req.header("content-type") ?? "application/json";
  const [mediaType = "", ...parameters] = contentType.split(";").map((part) => part.trim());
  const values = new Map(
    parameters
      .filter(Boolean)
      .map((p) => [p.split("=")[0]!.trim().toLowerCase(), (p.split("=")[1] ?? "").trim().replace(/^"|"$/g, "")]),
  );
  const mime = mediaType.toLowerCase();
  if (mime !== "application/json" && mime !== "text/csv")
    throw unsupported(
      "This predictor only supports the following content types: Types: ['text/csv', 'application/json']. " +
        `Got '${contentType}'.`,
    );
  if ((values.get("charset") ?? "utf-8").toLowerCase() !== "utf-8")
    throw unsupported("The scoring server only supports UTF-8");
  const unexpected = [...values.keys()].filter((k) => k !== "charset");
  if (unexpected.length > 0) throw unsupported(`Unrecognized content type parameters: ${unexpected.join(", ")}.`);

  let text: string;
  try {
    text = decoder.decode(await readBodyBytes(c, maxBytes));
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new ApiError("BAD_REQUEST", "Invalid input. The request body is not valid UTF-8.");
  }
  if (mime === "text/csv") return { body: {}, csv: text };
  return { body: decodeScoringJson(text) };
}
