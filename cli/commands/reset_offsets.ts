import type { CommandSpec } from "../_args.ts";
/** The `reset-offsets` command. */
export const resetOffsetsCommand: CommandSpec = { name: "reset-offsets", summary: "todo" };
