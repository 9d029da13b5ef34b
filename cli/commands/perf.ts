import type { CommandSpec } from "../_args.ts";
/** The `perf` command. */
export const perfCommand: CommandSpec = { name: "perf", summary: "todo", subcommands: [] };
