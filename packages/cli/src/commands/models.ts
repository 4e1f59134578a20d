import fs from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { action, type CliIo, withGlobalOptions } from "../context";
import { CliError, EXIT, type ExitCode, UsageError } from "../exit-codes";
import { PUBLISH_DEFAULTS, publish, uploadLimits } from "../models/publish-model";

/** `edgeserve models …`: the model registry. */
export function modelsCommand(io: CliIo, setExit: (code: ExitCode) => void): Command {
  const group = new Command("models").description("publish MLflow models to the registry");
  withGlobalOptions(group.command("publish"))
    .description("upload an MLflow model directory as a new version (with progress), optionally setting an alias")
    .argument("DIR", "the MLflow model directory (with its MLmodel file)")
    .requiredOption("--name <catalog.schema.model>", "the registered model (created if it does not exist)")
    .option("--alias <alias>", "point this alias at the new version (e.g. champion)")
    .option("--description <text>", "the registered model's description, when it is created")
    .option("--part-size-mib <n>", "multipart part size", String(PUBLISH_DEFAULTS.partSizeMib))
    .option(
      "--multipart-threshold-mib <n>",
      "files above this go up in parts",
      String(PUBLISH_DEFAULTS.multipartThresholdMib),
    )
    .option("--retries <n>", "resend a file or part this many times on 502/503/504", String(PUBLISH_DEFAULTS.retries))
    .action(
      action(io, setExit, async (ctx, [dir], options) => {
        const limits = uploadLimits({
          partSizeMib: options.partSizeMib as string,
          multipartThresholdMib: options.multipartThresholdMib as string,
          retries: options.retries as string,
        });
        if (limits.error !== undefined) throw new UsageError(limits.error);
        const modelDir = path.resolve(ctx.io.cwd, dir);
        if (!fs.existsSync(path.join(modelDir, "MLmodel")))
          throw new UsageError(`${modelDir} is not an MLflow model directory (no MLmodel file).`);
        const version = await publish({
          dir: modelDir,
          name: options.name as string,
          alias: options.alias as string | undefined,
          description: options.description as string | undefined,
          host: ctx.auth.host,
          token: ctx.auth.token,
          partSize: limits.partSize,
          threshold: limits.threshold,
          retries: limits.retries,
          retryDelayMs: 1000,
        }).catch(asCliError);
        ctx.print(version, () => `${version.version}\n`);
        return EXIT.OK;
      }),
    );
  return group;
}

/**
 * publish-model.ts reports a failed API call as an Error saying which step failed and the answer
 * (`… failed: 404 RESOURCE_DOES_NOT_EXIST: …`), and a connection failure as node:http's error (ECONNREFUSED, …)
 * or fetch's (whose `cause` holds it).
 */
function asCliError(error: unknown): never {
  const cause = (error as { cause?: NodeJS.ErrnoException }).cause;
  const code = (error as NodeJS.ErrnoException).code ?? cause?.code;
  if (typeof code === "string" && /^E[A-Z]+$/.test(code))
    throw new CliError(`cannot reach the host: ${(error as Error).message}`, EXIT.UNREACHABLE);
  if (error instanceof Error) throw new CliError(error.message, EXIT.API_ERROR);
  throw error;
}
