import type { CommandSpec } from "../_args.ts";
/** The `groups` command. */
export const groupsCommand: CommandSpec = { name: "groups", summary: "todo", subcommands: [] };
