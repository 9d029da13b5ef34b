import type { CommandSpec } from "../_args.ts";
/** The `offsets` command. */
export const offsetsCommand: CommandSpec = { name: "offsets", summary: "todo" };
