/**
 * `denokafka reset-offsets` (pykafka's `reset_offsets`): moves a group's
 * committed offsets of a topic to the earliest or latest offsets, a time,
 * or given offsets. Refuses while the group has active members unless
 * `--force`.
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
import { RefusedError, UsageError } from "../_errors.ts";
import { stdoutColor, table } from "../_io.ts";
import { limitsOf, parseTarget, resolvePositions } from "../_positions.ts";

function partitionsOf(args: ParsedArgs, all: number[]): number[] {
  const raw = args.list("partition").flatMap((r) => r.split(","));
  if (raw.length === 0) return all;
  return raw.map((s) => {
    const n = Number(s);
    if (!/^\d+$/.test(s.trim()) || !all.includes(n)) {
      throw new UsageError(
        `--partition ${s}: the topic has partitions ${all.join(", ")}`,
        args.command,
      );
    }
    return n;
  });
}

async function run(args: ParsedArgs): Promise<void> {
  const name = args.positional(0, "TOPIC");
  const group = args.positional(1, "GROUP");
  const target = parseTarget(args.positional(2, "TARGET"), args.command);
  const dryRun = args.bool("dry-run");
  await withClient(args, async (client) => {
    const topic = await existingTopic(client, name);
    const all = [...topic.partitions.keys()].sort((a, b) => a - b);
    const partitions = target.kind === "explicit"
      ? [...target.offsets.keys()]
      : partitionsOf(args, all);
    const [description] = await client.describeGroups([group]);
    if (description.members.length > 0 && !args.bool("force")) {
      throw new RefusedError(
        `group ${group} has ${description.members.length} active member${
          description.members.length === 1 ? "" : "s"
        } (state ${description.state}): stop its consumers first, or pass --force (the coordinator may still refuse commits from outside the group)`,
      );
    }
    const committed = (await client.fetchConsumerGroupOffsets(group, [name]))
      .get(name) ?? new Map();
    const limits = await limitsOf(topic);
    const next = await resolvePositions(
      topic,
      all,
      target,
      limits,
      args.command,
    );
    const rows = partitions.sort((a, b) => a - b).map((p) => ({
      partition: p,
      before: committed.get(p)?.offset ?? null,
      after: next.get(p)!,
    }));
    if (!dryRun) {
      await client.commitConsumerGroupOffsets(
        group,
        rows.map((r) => ({
          topic: name,
          partition: r.partition,
          offset: r.after,
          metadata: "denokafka-cli reset-offsets",
        })),
      );
    }
    if (args.bool("json")) {
      await printJson({ topic: name, group, dryRun, partitions: rows });
      return;
    }
    await print(
      table(
        ["Partition", "Old Offset", "New Offset"],
        rows.map((r) => [r.partition, r.before ?? "-", r.after]),
        stdoutColor(),
      ) + (dryRun ? "(dry run: nothing committed)\n" : ""),
    );
  });
}

/** The `reset-offsets` command. */
export const resetOffsetsCommand: CommandSpec = {
  name: "reset-offsets",
  aliases: ["reset_offsets"],
  summary:
    "move a group's committed offsets (earliest, latest, a time, offsets)",
  description: `
Commits new offsets for GROUP on TOPIC: the next record each partition will
read. TARGET is earliest, latest, a time (the first record at or after it;
the latest offset when none is that recent), one offset for every partition
(42), or offsets per partition (0:42,1:17). Offsets are clamped to each
partition's earliest..latest, as Kafka's consumer-groups tool does.

Refuses (exit code 3) while the group has active members; --force commits
anyway, which the coordinator accepts only from members of a live group, so
it is for groups whose members are going away.`,
  connection: true,
  positionals: [
    { name: "TOPIC", help: "the topic" },
    { name: "GROUP", help: "the consumer group" },
    { name: "TARGET", help: "earliest, latest, a time, N, or P:N,P:N" },
  ],
  flags: [
    {
      name: "partition",
      short: "p",
      type: "list",
      arg: "N[,N...]",
      help: "only these partitions (with earliest, latest, a time or N)",
    },
    {
      name: "dry-run",
      short: "n",
      type: "boolean",
      help: "show the new offsets, commit nothing",
    },
    {
      name: "force",
      type: "boolean",
      help: "commit even while the group has active members",
    },
    JSON_FLAG,
  ],
  examples: [
    "denokafka reset-offsets orders billing earliest",
    "denokafka reset_offsets orders billing 2026-01-01T00:00:00",
    "denokafka reset-offsets orders billing -2h --dry-run",
    "denokafka reset-offsets orders billing 0:1200,1:1180",
  ],
  run,
};
