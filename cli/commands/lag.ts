import type { CommandSpec } from "../_args.ts";
/** The `lag` command. */
export const lagCommand: CommandSpec = { name: "lag", summary: "todo" };
