/**
 * `denokafka offsets` (pykafka's `print_offsets`): each partition's
 * earliest and latest offset, or the offset at a time.
 *
 * @module
 */

import type { CommandSpec, ParsedArgs } from "../_args.ts";
import {
  existingTopic,
  JSON_FLAG,
  print,
  printJson,
  withClient,
} from "../_common.ts";
import { UsageError } from "../_errors.ts";
import { stdoutColor, table } from "../_io.ts";
import { limitsOf, parseTarget, resolvePositions } from "../_positions.ts";

async function run(args: ParsedArgs): Promise<void> {
  const name = args.positional(0, "TOPIC");
  const where = args.positionals[1];
  const target = where === undefined
    ? undefined
    : parseTarget(where, args.command);
  if (
    target && target.kind !== "earliest" && target.kind !== "latest" &&
    target.kind !== "time"
  ) {
    throw new UsageError(
      "WHERE is earliest, latest or a time",
      args.command,
    );
  }
  await withClient(args, async (client) => {
    const topic = await existingTopic(client, name);
    const partitions = [...topic.partitions.keys()].sort((a, b) => a - b);
    const limits = await limitsOf(topic);
    if (!target) {
      const rows = partitions.map((p) => ({
        partition: p,
        earliest: limits.earliest.get(p) ?? 0,
        latest: limits.latest.get(p) ?? 0,
      }));
      if (args.bool("json")) {
        await printJson({ topic: name, partitions: rows });
        return;
      }
      const total = rows.reduce((a, r) => a + r.latest - r.earliest, 0);
      await print(
        table(
          ["Partition", "Earliest", "Latest", "Records"],
          rows.map((
            r,
          ) => [r.partition, r.earliest, r.latest, r.latest - r.earliest]),
          stdoutColor(),
        ) + `Total records: ${total}\n`,
      );
      return;
    }
    const at = await resolvePositions(
      topic,
      partitions,
      target,
      limits,
      args.command,
    );
    const rows = partitions.map((p) => ({ partition: p, offset: at.get(p)! }));
    if (args.bool("json")) {
      await printJson({
        topic: name,
        ...(target.kind === "time"
          ? { time: new Date(target.ms).toISOString() }
          : { at: target.kind }),
        partitions: rows,
      });
      return;
    }
    await print(table(
      ["Partition", "Offset"],
      rows.map((r) => [r.partition, r.offset]),
      stdoutColor(),
    ));
  });
}

/** The `offsets` command. */
export const offsetsCommand: CommandSpec = {
  name: "offsets",
  aliases: ["print_offsets"],
  summary:
    "earliest and latest offsets per partition, or the offsets at a time",
  description: `
Without WHERE: each partition's earliest and latest offset (the offset the
next record gets) and the record count between them. With WHERE (earliest,
latest or a time): the offset per partition, as pykafka's print_offsets; for
a time, the first record at or after it (the latest offset when none is that
recent).`,
  connection: true,
  positionals: [
    { name: "TOPIC", help: "the topic" },
    {
      name: "WHERE",
      help: "earliest, latest, or a time (2026-01-01T12:00:00 UTC, @<ms>, -2h)",
      required: false,
    },
  ],
  flags: [JSON_FLAG],
  examples: [
    "denokafka offsets orders",
    "denokafka print_offsets orders 2026-01-01T00:00:00",
    "denokafka offsets orders -1h --json",
  ],
  run,
};
