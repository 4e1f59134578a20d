import { unwrap } from "@edgeserve/sdk";
import { Command } from "commander";
import { action, type CliIo, withGlobalOptions } from "../context";
import { EXIT, type ExitCode, UsageError } from "../exit-codes";
import { formatTable, formatTime } from "../io/output";

/** `edgeserve tokens …`: your personal access tokens. */
export function tokensCommand(io: CliIo, setExit: (code: ExitCode) => void): Command {
  const group = new Command("tokens").description("your personal access tokens");
  const leaf = (name: string, description: string) => withGlobalOptions(group.command(name).description(description));

  leaf("create", "create a token (its value is printed once)")
    .option("--comment <text>", "what the token is for")
    .option("--lifetime-seconds <n>", "expiry; without it the token never expires")
    .action(
      action(io, setExit, async (ctx, _args, options) => {
        const lifetime = options.lifetimeSeconds === undefined ? undefined : Number(options.lifetimeSeconds);
        if (lifetime !== undefined && (!Number.isInteger(lifetime) || lifetime <= 0))
          throw new UsageError("--lifetime-seconds must be a positive integer.");
        const created = await unwrap(
          ctx.client.POST("/api/2.0/token/create", {
            body: {
              ...(options.comment !== undefined && { comment: options.comment as string }),
              ...(lifetime !== undefined && { lifetime_seconds: lifetime }),
            },
          }),
        );
        ctx.print(created, () => `${created.token_value}\n`);
        return EXIT.OK;
      }),
    );

  leaf("list", "list your tokens").action(
    action(io, setExit, async (ctx) => {
      const { token_infos = [] } = await unwrap(ctx.client.GET("/api/2.0/token/list"));
      ctx.print({ token_infos }, () =>
        formatTable(token_infos, [
          { header: "TOKEN_ID", value: (t) => t.token_id },
          { header: "COMMENT", value: (t) => t.comment },
          { header: "CREATED", value: (t) => formatTime(t.creation_time) },
          { header: "EXPIRES", value: (t) => formatTime(t.expiry_time) },
        ]),
      );
      return EXIT.OK;
    }),
  );

  leaf("delete", "revoke a token")
    .argument("TOKEN_ID")
    .action(
      action(io, setExit, async (ctx, [tokenId]) => {
        await unwrap(ctx.client.POST("/api/2.0/token/delete", { body: { token_id: tokenId } }));
        ctx.print({ token_id: tokenId }, () => `Revoked ${tokenId}.\n`);
        return EXIT.OK;
      }),
    );

  return group;
}
