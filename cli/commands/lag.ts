/**
 * `denokafka lag` (pykafka's `print_consumer_lag`): how far a group's
 * committed offsets are behind the end of each partition.
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
import { stdoutColor, table } from "../_io.ts";

/** pykafka's commit metadata: `{"consumer_id": ..., "hostname": ...}`. */
function commitMetadata(
  metadata: string | null,
): { consumerId: string; hostname: string } {
  if (!metadata) return { consumerId: "", hostname: "" };
  try {
    const o = JSON.parse(metadata);
    if (typeof o === "object" && o !== null) {
      return {
        consumerId: typeof o.consumer_id === "string" ? o.consumer_id : "",
        hostname: typeof o.hostname === "string" ? o.hostname : "",
      };
    }
  } catch { /* not pykafka's JSON */ }
  return { consumerId: "", hostname: "" };
}

async function run(args: ParsedArgs): Promise<void> {
  const name = args.positional(0, "TOPIC");
  const group = args.positional(1, "GROUP");
  await withClient(args, async (client) => {
    await existingTopic(client, name);
    const lag = await client.consumerGroupLag(group, name);
    const rows = [...lag.values()].sort((a, b) => a.partition - b.partition)
      .map((l) => ({
        partition: l.partition,
        lag: l.lag,
        latest: l.latest,
        committed: l.committed,
        ...commitMetadata(l.metadata),
      }));
    const total = rows.reduce((a, r) => a + (r.lag ?? 0), 0);
    if (args.bool("json")) {
      await printJson({
        topic: name,
        group,
        partitions: rows,
        totalLag: total,
      });
      return;
    }
    await print(
      table(
        [
          "Partition",
          "Lag",
          "Latest Offset",
          "Current Offset",
          "Consumer ID",
          "Host",
        ],
        rows.map((r) => [
          r.partition,
          r.lag === null ? "-" : r.lag,
          r.latest,
          r.committed < 0 ? "-" : r.committed,
          r.consumerId,
          r.hostname,
        ]),
        stdoutColor(),
      ) + `Total lag: ${total}\n`,
    );
  });
}

/** The `lag` command. */
export const lagCommand: CommandSpec = {
  name: "lag",
  aliases: ["print_consumer_lag"],
  summary: "a consumer group's lag per partition of a topic",
  description: `
For each partition: the latest offset (the offset the next record gets), the
group's committed offset ("-" when it has none), their difference, and the
consumer id and host name from the commit metadata (pykafka's JSON).`,
  connection: true,
  positionals: [
    { name: "TOPIC", help: "the topic" },
    { name: "GROUP", help: "the consumer group" },
  ],
  flags: [JSON_FLAG],
  examples: [
    "denokafka lag orders billing",
    "denokafka print_consumer_lag orders billing --json",
  ],
  run,
};
