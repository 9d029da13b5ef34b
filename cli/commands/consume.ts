/**
 * `denokafka consume`: records of a topic to stdout (kcat's `-C`), from
 * the beginning, the end, an offset, N before the end or a time, with or
 * without a consumer group; until the end of every partition (kcat's
 * `-e`), `--count` records, or for ever with `--follow`.
 *
 * @module
 */

import { type Message, OffsetType } from "../../mod.ts";
import type { CommandSpec, ParsedArgs } from "../_args.ts";
import { unescapeDelimiter, utf8 } from "../_bytes.ts";
import {
  existingTopic,
  QUIET_FLAG,
  VERBOSE_FLAG,
  withClient,
} from "../_common.ts";
import {
  type CliConsumer,
  type ConsumerKind,
  makeConsumer,
} from "../_consumers.ts";
import { EXIT, UsageError } from "../_errors.ts";
import {
  type BinaryMode,
  formatRenderer,
  jsonRenderer,
  type RecordRenderer,
  valueRenderer,
} from "../_format.ts";
import {
  bytes,
  count,
  duration,
  errLine,
  Output,
  stderrIsTty,
  stdoutIsTty,
} from "../_io.ts";
import {
  limitsOf,
  parseStart,
  type Position,
  resolvePositions,
} from "../_positions.ts";
import { Progress } from "../_progress.ts";
import { onInterrupt } from "../_signals.ts";

function renderer(args: ParsedArgs): RecordRenderer {
  const binary = args.string("binary", "raw") as BinaryMode;
  const nullText = args.bool("null-string") ? utf8("NULL") : new Uint8Array(0);
  const format = args.string("format");
  const output = args.bool("json") ? "json" : args.string("output");
  if (format !== undefined && output !== undefined && output !== "format") {
    throw new UsageError(
      "--format and --output json / -J exclude each other",
      args.command,
    );
  }
  if (format !== undefined) {
    return formatRenderer(format, binary, nullText, args.command);
  }
  if (output === "json") return jsonRenderer(binary);
  const kd = args.string("key-delimiter");
  return valueRenderer(
    unescapeDelimiter(args.string("delimiter", "\\n")),
    kd === undefined ? undefined : unescapeDelimiter(kd),
    binary,
    nullText,
  );
}

function partitionList(args: ParsedArgs): number[] | undefined {
  const raw = args.list("partition");
  if (raw.length === 0) return undefined;
  const out: number[] = [];
  for (const item of raw.flatMap((r) => r.split(","))) {
    const n = Number(item);
    if (!/^\d+$/.test(item.trim()) || !Number.isSafeInteger(n)) {
      throw new UsageError(
        `--partition takes partition ids, got ${JSON.stringify(item)}`,
        args.command,
      );
    }
    if (!out.includes(n)) out.push(n);
  }
  return out;
}

/** The next offset to read from a held (last consumed) offset. */
function nextOf(held: number): number {
  return held < 0 ? 0 : held + 1;
}

async function position(
  consumer: CliConsumer,
  topic: Parameters<typeof limitsOf>[0],
  partitions: number[],
  start: Position,
  command: readonly string[],
): Promise<void> {
  if (
    start.kind === "stored" || start.kind === "earliest" ||
    start.kind === "latest"
  ) return; // autoOffsetReset / resetOffsetOnStart handle these
  const limits = await limitsOf(topic);
  const next = await resolvePositions(
    topic,
    partitions,
    start,
    limits,
    command,
  );
  await consumer.resetOffsets(
    [...next].map(([p, o]): [number, number] =>
      // resetOffsets takes the last consumed offset; the earliest offset
      // itself is asked for by name (its "last consumed" may be -1).
      o <= (limits.earliest.get(p) ?? 0) ? [p, OffsetType.EARLIEST] : [p, o - 1]
    ),
  );
}

async function run(args: ParsedArgs): Promise<number> {
  const name = args.positional(0, "TOPIC");
  const group = args.string("group");
  const balanced = args.string("balanced") as ConsumerKind | undefined;
  const kind: ConsumerKind = balanced ?? "simple";
  const follow = args.bool("follow") || kind !== "simple";
  const maxCount = args.number("count");
  if (maxCount !== undefined && maxCount < 1) {
    throw new UsageError("--count must be 1 or more", args.command);
  }
  if (args.bool("follow") && args.bool("exit")) {
    throw new UsageError(
      "--follow and --exit exclude each other",
      args.command,
    );
  }
  const start = args.has("offset")
    ? parseStart(args.string("offset")!, args.command)
    : group !== undefined
    ? { kind: "stored" as const }
    : { kind: "earliest" as const };
  if (start.kind === "stored" && group === undefined) {
    throw new UsageError("-o stored needs --group", args.command);
  }
  if (
    kind !== "simple" && !["stored", "earliest", "latest"].includes(start.kind)
  ) {
    throw new UsageError(
      "--balanced starts at the group's offsets, or at beginning / end (-o beginning, -o end)",
      args.command,
    );
  }
  const render = renderer(args);
  const idleMs = args.number("idle-timeout-ms", follow ? 0 : 10_000);
  const unbuffered = args.bool("unbuffered");
  const quiet = args.bool("quiet");
  const out = new Output();
  using interrupt = onInterrupt();
  let n = 0;
  let payload = 0;
  const started = performance.now();
  let progress: Progress | undefined;
  await withClient(args, async (client) => {
    const topic = await existingTopic(client, name);
    const partitions = partitionList(args) ?? [...topic.partitions.keys()];
    for (const p of partitions) {
      if (!topic.partitions.has(p)) {
        throw new UsageError(
          `--partition ${p}: topic ${name} has partitions ${
            [...topic.partitions.keys()].join(", ")
          }`,
          args.command,
        );
      }
    }
    const consumer = makeConsumer(kind, topic, {
      group,
      partitions: args.list("partition").length ? partitions : undefined,
      autoOffsetReset: start.kind === "latest"
        ? OffsetType.LATEST
        : OffsetType.EARLIEST,
      resetOffsetOnStart: group !== undefined &&
        (start.kind === "earliest" || start.kind === "latest"),
      autoCommit: group !== undefined && !args.bool("no-commit"),
      readCommitted: args.bool("read-committed"),
    }, args.command);
    let stopped = false;
    try {
      if (kind === "simple") {
        await position(consumer, topic, partitions, start, args.command);
      }
      await consumer.start();
      // The end to stop at: each partition's high watermark now.
      const end = follow ? undefined : await topic.latestAvailableOffsets();
      // Partitions not at their end yet.
      const open = new Set<number>();
      let total: number | undefined;
      if (end) {
        total = 0;
        const held = consumer.heldOffsets;
        for (const p of partitions) {
          const o = nextOf(held.get(p) ?? -1);
          const left = (end.get(p) ?? 0) - o;
          if (left > 0) {
            open.add(p);
            total += left;
          }
        }
      }
      progress = new Progress({
        label: `consume ${name}`,
        total: maxCount !== undefined && total !== undefined
          ? Math.min(maxCount, total)
          : maxCount ?? total,
        enabled: !quiet && stderrIsTty() && !stdoutIsTty(),
      });
      let lastMessage = performance.now();
      const write = async (m: Message) => {
        for (const piece of render(m)) await out.bytes(piece);
        if (unbuffered) await out.flush();
        n++;
        payload += (m.value?.length ?? 0) + (m.partitionKey?.length ?? 0);
        progress!.update(n, payload);
      };
      while (!interrupt.signal.aborted) {
        if (maxCount !== undefined && n >= maxCount) break;
        if (end && open.size === 0) break;
        let m = await consumer.consume({ block: false });
        if (m === null) {
          await out.flush();
          try {
            m = await consumer.consume({
              block: true,
              timeoutMs: 500,
              signal: interrupt.signal,
            });
          } catch (e) {
            if (interrupt.signal.aborted) break;
            throw e;
          }
        }
        if (m === null) {
          if (idleMs > 0 && performance.now() - lastMessage >= idleMs) break;
          continue;
        }
        lastMessage = performance.now();
        await write(m);
        if (end && m.offset + 1 >= (end.get(m.partitionId) ?? 0)) {
          open.delete(m.partitionId);
        }
      }
      await out.flush();
      progress.finish();
      if (group !== undefined && !args.bool("no-commit")) {
        await consumer.commitOffsets();
      }
      stopped = true;
      await consumer.stop();
    } finally {
      progress?.finish();
      if (!stopped) await consumer.stop().catch(() => {});
    }
  });
  const ms = performance.now() - started;
  if ((!quiet && stderrIsTty() && !stdoutIsTty()) || args.bool("verbose")) {
    errLine(
      `consumed ${count(n)} records (${bytes(payload)}) from ${name} in ${
        duration(ms)
      }: ${count(n / (ms / 1000))} records/s, ${
        bytes(payload / (ms / 1000))
      }/s`,
    );
  }
  return interrupt.signal.aborted ? EXIT.INTERRUPTED : EXIT.OK;
}

/** The `consume` command. */
export const consumeCommand: CommandSpec = {
  name: "consume",
  aliases: ["consume_topic"],
  summary: "print the records of a topic (kcat -C)",
  description: `
Prints each record's value and a newline by default (kcat's default output;
-K adds the key before a delimiter), JSON lines with -J, or a kcat format
string with -f. Bytes are written as they are; --binary base64 prints keys,
values and header values as base64. In JSON, key, value and header values
are text when every one of them is valid UTF-8; otherwise the record has
"encoding": "base64" and those fields are base64 ('produce --input json'
reads these lines back byte for byte).

Starts at the beginning (-o), or with --group at the group's committed
offsets; stops at the end of every partition as it was when consuming
started (kcat -e), after --count records, or never with --follow (Ctrl-C
stops, committing with a group). With --group the consumed offsets are
committed (every 5 s and at the end) unless --no-commit; -o then also moves
the group's committed offsets.

--balanced zookeeper|managed: consume as a member of a balanced group
(follows, as group membership has no fixed end; stop it with --count,
--idle-timeout-ms or Ctrl-C). zookeeper is pykafka's BalancedConsumer: the
group lives in the ZooKeeper of --zookeeper-hosts (pykafka's layout, so
pykafka members can share it), offsets in Kafka.`,
  connection: true,
  positionals: [{ name: "TOPIC", help: "the topic" }],
  flags: [
    {
      name: "offset",
      short: "o",
      type: "string",
      arg: "WHERE",
      help:
        "beginning, end, stored, an offset N, -N (N before the end), s@<ms>, or a time (2026-01-01T12:00:00, -2h)",
      defaultText: "beginning, or stored with --group",
    },
    {
      name: "partition",
      short: "p",
      type: "list",
      arg: "N[,N...]",
      help: "only these partitions",
    },
    {
      name: "group",
      short: "g",
      aliases: ["consumer-group"],
      type: "string",
      arg: "GROUP",
      help: "consumer group: start at its offsets and commit",
    },
    {
      name: "balanced",
      type: "string",
      arg: "KIND",
      choices: ["zookeeper", "managed"],
      help: "consume in a balanced group (needs --group)",
    },
    { name: "no-commit", type: "boolean", help: "with --group: do not commit" },
    {
      name: "count",
      short: "c",
      aliases: ["limit"],
      type: "int",
      arg: "N",
      help: "stop after N records",
    },
    { name: "follow", type: "boolean", help: "keep waiting for new records" },
    {
      name: "exit",
      short: "e",
      type: "boolean",
      help: "stop at the end of every partition (the default; kcat's -e)",
    },
    {
      name: "idle-timeout-ms",
      type: "int",
      arg: "MS",
      help: "stop after this long without a record",
      defaultText: "10000 (0 with --follow: never)",
    },
    {
      name: "output",
      type: "string",
      arg: "FORMAT",
      choices: ["value", "json"],
      help: "value: the value (kcat's default); json: JSON lines",
      defaultText: "value",
    },
    {
      name: "json",
      short: "J",
      type: "boolean",
      help: "JSON lines (--output json)",
    },
    {
      name: "format",
      short: "f",
      type: "string",
      arg: "FMT",
      help: "kcat format: %t %p %o %k %K %s %S %R %T %h %% and \\n \\t \\xNN",
    },
    {
      name: "binary",
      type: "string",
      arg: "MODE",
      choices: ["raw", "base64"],
      help: "keys, values and header values as they are, or base64",
      defaultText: "raw",
    },
    {
      name: "delimiter",
      short: "D",
      type: "string",
      arg: "DELIM",
      help: "after each value (value output)",
      defaultText: "\\n",
    },
    {
      name: "key-delimiter",
      short: "K",
      type: "string",
      arg: "DELIM",
      help: "print the key and this before each value",
    },
    {
      name: "null-string",
      short: "Z",
      type: "boolean",
      help: 'print missing keys and values as "NULL"',
    },
    {
      name: "read-committed",
      type: "boolean",
      help: "skip records of aborted transactions",
    },
    {
      name: "unbuffered",
      short: "u",
      type: "boolean",
      help: "write every record at once",
    },
    QUIET_FLAG,
    VERBOSE_FLAG,
  ],
  examples: [
    "denokafka consume orders -o -10",
    "denokafka consume orders -J -c 100 | jq .value",
    "denokafka consume orders -f 'Topic %t [%p] at offset %o: key %k: %s\\n'",
    "denokafka consume orders -g billing --follow",
    "denokafka consume orders -o 2026-01-01T00:00:00 -p 0,1",
  ],
  run,
};
