/**
 * `denokafka topics`: list, describe, create, delete, alter-config and
 * add-partitions (pykafka's `print_topics`, `desc_topic`, `create_topic`,
 * `delete_topic`; kcat's `-L`).
 *
 * @module
 */

import {
  AdminError,
  type KafkaClient,
  TopicAlreadyExists,
  UnknownTopicOrPartition,
} from "../../mod.ts";
import type { CommandSpec, ParsedArgs } from "../_args.ts";
import {
  existingTopic,
  JSON_FLAG,
  keyValues,
  print,
  printJson,
  withClient,
} from "../_common.ts";
import { CliError, UsageError } from "../_errors.ts";
import { stdoutColor, table } from "../_io.ts";

const TOPIC_CONFIG = 2; // ConfigResourceType.TOPIC

interface PartitionInfo {
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
  offline: number[];
  error?: string;
}

interface TopicInfo {
  name: string;
  topicId?: string;
  internal: boolean;
  partitions: PartitionInfo[];
}

async function describeTopics(
  client: KafkaClient,
  names: string[],
): Promise<TopicInfo[]> {
  if (names.length === 0) return [];
  const mds = await client.cluster.requestTopicMetadata(names);
  return mds.map((md, i) => {
    if (md.errorCode === 3) {
      throw new CliError(`topic ${names[i]} does not exist`);
    }
    const t: TopicInfo = {
      name: md.name ?? names[i],
      internal: md.isInternal ?? false,
      partitions: md.partitions.map((p) => {
        const info: PartitionInfo = {
          partition: p.partitionIndex,
          leader: p.leaderId,
          replicas: [...p.replicaNodes],
          isr: [...p.isrNodes],
          offline: [...(p.offlineReplicas ?? [])],
        };
        if (p.errorCode !== 0) info.error = `error code ${p.errorCode}`;
        return info;
      }).sort((a, b) => a.partition - b.partition),
    };
    if (md.topicId && !/^0+(-0+)*$/.test(md.topicId.replaceAll("-", ""))) {
      t.topicId = md.topicId;
    }
    return t;
  });
}

function replication(t: TopicInfo): number {
  return Math.max(0, ...t.partitions.map((p) => p.replicas.length));
}

function brokersOf(client: KafkaClient) {
  const controller = client.cluster.controllerId;
  return [...client.brokers.values()].sort((a, b) => a.id - b.id).map((b) => ({
    id: b.id,
    host: b.host,
    port: b.port,
    rack: b.rack,
    controller: b.id === controller,
  }));
}

async function list(args: ParsedArgs): Promise<void> {
  await withClient(args, async (client) => {
    const names = client.topics.keys();
    const infos = await describeTopics(client, names);
    if (args.bool("json")) {
      await printJson(infos.map((t) => ({
        name: t.name,
        partitions: t.partitions.length,
        replicationFactor: replication(t),
        internal: t.internal,
      })));
      return;
    }
    await print(table(
      ["Topic", "Partitions", "Replication"],
      infos.map((t) => [t.name, t.partitions.length, replication(t)]),
      stdoutColor(),
    ));
  }, { excludeInternalTopics: !args.bool("internal") });
}

async function describe(args: ParsedArgs): Promise<void> {
  await withClient(args, async (client) => {
    const names = args.positionals.length > 0
      ? [...args.positionals]
      : client.topics.keys();
    const infos = await describeTopics(client, names);
    const configs = new Map<string, Record<string, string | null>>();
    if (args.bool("configs") && infos.length > 0) {
      const ds = await client.describeConfigs(
        infos.map((t) => ({ type: TOPIC_CONFIG, name: t.name })),
      );
      for (const d of ds) {
        const c: Record<string, string | null> = {};
        for (const e of d.entries.values()) {
          if (e.source === 1 || (e.source === -1 && !e.isDefault)) {
            c[e.name] = e.value;
          }
        }
        configs.set(d.name, c);
      }
    }
    const offsets = new Map<string, Map<number, [number, number]>>();
    if (args.bool("offsets")) {
      for (const t of infos) {
        const topic = await existingTopic(client, t.name);
        const [e, l] = await Promise.all([
          topic.earliestAvailableOffsets(),
          topic.latestAvailableOffsets(),
        ]);
        offsets.set(
          t.name,
          new Map([...l].map(([p, o]) => [p, [e.get(p) ?? 0, o]])),
        );
      }
    }
    if (args.bool("json")) {
      await printJson({
        clusterId: client.cluster.clusterId,
        controller: client.cluster.controllerId,
        brokers: brokersOf(client),
        topics: infos.map((t) => ({
          ...t,
          replicationFactor: replication(t),
          ...(configs.has(t.name) ? { configs: configs.get(t.name) } : {}),
          partitions: t.partitions.map((p) => {
            const o = offsets.get(t.name)?.get(p.partition);
            return o ? { ...p, earliest: o[0], latest: o[1] } : p;
          }),
        })),
      });
      return;
    }
    const color = stdoutColor();
    let out = "";
    for (const t of infos) {
      if (out) out += "\n";
      out +=
        `Topic: ${t.name}  Partitions: ${t.partitions.length}  Replication: ${
          replication(t)
        }${t.topicId ? `  Id: ${t.topicId}` : ""}${
          t.internal ? "  (internal)" : ""
        }\n`;
      const c = configs.get(t.name);
      if (c) {
        const entries = Object.entries(c);
        out += entries.length === 0
          ? "Configs: (all defaults)\n"
          : `Configs: ${entries.map(([k, v]) => `${k}=${v}`).join(", ")}\n`;
      }
      const o = offsets.get(t.name);
      const headers = ["Partition", "Leader", "Replicas", "ISR"];
      if (o) headers.push("Earliest", "Latest");
      out += table(
        headers,
        t.partitions.map((p) => {
          const row: (string | number)[] = [
            p.partition,
            p.leader,
            p.replicas.join(","),
            p.isr.join(","),
          ];
          const lim = o?.get(p.partition);
          if (lim) row.push(lim[0], lim[1]);
          return row;
        }),
        color,
      );
    }
    await print(out);
  }, { excludeInternalTopics: false });
}

function replicaAssignment(
  s: string,
  command: readonly string[],
): number[][] {
  if (!/^\d+(:\d+)*(,\d+(:\d+)*)*$/.test(s)) {
    throw new UsageError(
      `--replica-assignment ${
        JSON.stringify(s)
      }: expected broker ids per partition, e.g. 1:2,2:1 (partition 0 on 1 and 2, partition 1 on 2 and 1)`,
      command,
    );
  }
  return s.split(",").map((p) => p.split(":").map(Number));
}

async function create(args: ParsedArgs): Promise<void> {
  const name = args.positional(0, "TOPIC");
  const assignment = args.string("replica-assignment");
  if (
    assignment &&
    (args.has("partitions") || args.has("replication-factor"))
  ) {
    throw new UsageError(
      "--replica-assignment already sets the partitions and replicas: leave out --partitions and --replication-factor",
      args.command,
    );
  }
  const replicas = assignment
    ? replicaAssignment(assignment, args.command)
    : undefined;
  const config = Object.fromEntries(
    keyValues(args.list("config"), "--config", args.command),
  );
  await withClient(args, async (client) => {
    try {
      const [created] = await client.createTopics([{
        name,
        ...(replicas ? { replicaAssignment: replicas } : {
          numPartitions: args.number("partitions"),
          replicationFactor: args.number("replication-factor"),
        }),
        config,
      }], {
        validateOnly: args.bool("validate-only"),
        timeoutMs: args.number("timeout-ms"),
      });
      if (args.bool("json")) {
        await printJson(created);
      } else {
        await print(
          `${
            args.bool("validate-only") ? "would create" : "created"
          } topic ${created.name}: ${created.numPartitions} partitions, replication ${created.replicationFactor}\n`,
        );
      }
    } catch (e) {
      if (
        args.bool("if-not-exists") && e instanceof AdminError &&
        e.failures.get(name) instanceof TopicAlreadyExists
      ) {
        if (!args.bool("json")) await print(`topic ${name} exists\n`);
        else await printJson({ name, exists: true });
        return;
      }
      throw e;
    }
  });
}

async function remove(args: ParsedArgs): Promise<void> {
  const names = [...args.positionals];
  await withClient(args, async (client) => {
    let todo = names;
    if (args.bool("if-exists")) {
      const mds = await client.cluster.requestTopicMetadata(names);
      todo = names.filter((_, i) => mds[i].errorCode !== 3);
    }
    if (todo.length > 0) {
      try {
        await client.deleteTopics(todo, {
          timeoutMs: args.number("timeout-ms"),
        });
      } catch (e) {
        if (
          e instanceof AdminError &&
          [...e.failures.values()].every((f) =>
            f instanceof UnknownTopicOrPartition
          )
        ) {
          throw new CliError(
            `no such topic: ${[...e.failures.keys()].join(", ")}`,
            { cause: e },
          );
        }
        throw e;
      }
    }
    if (!args.bool("quiet")) {
      for (const n of todo) await print(`deleted topic ${n}\n`);
    }
  });
}

async function alterConfig(args: ParsedArgs): Promise<void> {
  const name = args.positional(0, "TOPIC");
  const set = keyValues(args.list("set"), "--set", args.command);
  const del = args.list("delete");
  if (set.size === 0 && del.length === 0) {
    throw new UsageError(
      "nothing to change: give --set NAME=VALUE and/or --delete NAME",
      args.command,
    );
  }
  for (const [k, v] of set) {
    if (v === null) {
      throw new UsageError(`--set ${k}: expected NAME=VALUE`, args.command);
    }
  }
  await withClient(args, async (client) => {
    await existingTopic(client, name);
    // AlterConfigs replaces every dynamic config of the topic: start from
    // the current ones so that only the named configs change.
    const [d] = await client.describeConfigs([{ type: TOPIC_CONFIG, name }]);
    const configs: Record<string, string | null> = {};
    for (const e of d.entries.values()) {
      if (e.source === 1 && e.value !== null) configs[e.name] = e.value;
    }
    for (const k of del) delete configs[k];
    for (const [k, v] of set) configs[k] = v;
    await client.alterConfigs([{ type: TOPIC_CONFIG, name, configs }], {
      validateOnly: args.bool("validate-only"),
    });
    const result = args.bool("validate-only") ? configs : await (async () => {
      const [after] = await client.describeConfigs([
        { type: TOPIC_CONFIG, name },
      ]);
      const c: Record<string, string | null> = {};
      for (const e of after.entries.values()) {
        if (e.source === 1) c[e.name] = e.value;
      }
      return c;
    })();
    if (args.bool("json")) {
      await printJson({ name, configs: result });
      return;
    }
    const entries = Object.entries(result).sort();
    await print(
      `${args.bool("validate-only") ? "would set" : "topic"} ${name} configs: ${
        entries.length
          ? entries.map(([k, v]) => `${k}=${v}`).join(", ")
          : "(all defaults)"
      }\n`,
    );
  });
}

async function addPartitions(args: ParsedArgs): Promise<void> {
  const name = args.positional(0, "TOPIC");
  const raw = args.positional(1, "COUNT");
  const count = Number(raw);
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new UsageError(
      `COUNT must be a positive integer, got ${raw}`,
      args.command,
    );
  }
  await withClient(args, async (client) => {
    await client.createPartitions([{ topic: name, count }], {
      validateOnly: args.bool("validate-only"),
    });
    await print(
      `${
        args.bool("validate-only") ? "would give" : "topic"
      } ${name} ${count} partitions\n`,
    );
  });
}

const TIMEOUT_FLAG = {
  name: "timeout-ms",
  type: "int",
  arg: "MS",
  help: "how long the controller and the metadata may take",
  defaultText: "30000",
} as const;

/** The `topics` command. */
export const topicsCommand: CommandSpec = {
  name: "topics",
  summary: "list, describe, create, delete and configure topics",
  subcommands: [
    {
      name: "list",
      aliases: ["print_topics"],
      summary: "list the topics with their partition count and replication",
      connection: true,
      flags: [
        JSON_FLAG,
        {
          name: "internal",
          type: "boolean",
          help: "include internal topics (__consumer_offsets, ...)",
        },
      ],
      examples: ["denokafka topics list -b kafka1:9092"],
      run: list,
    },
    {
      name: "describe",
      aliases: ["desc_topic"],
      summary:
        "partitions, leaders, replicas and ISR of topics (all without TOPIC), like kcat -L",
      connection: true,
      positionals: [{
        name: "TOPIC",
        help: "topics (default: all)",
        required: false,
        variadic: true,
      }],
      flags: [
        JSON_FLAG,
        {
          name: "configs",
          type: "boolean",
          help: "also show the topic's own configs (overrides of the defaults)",
        },
        {
          name: "offsets",
          type: "boolean",
          help: "also show each partition's earliest and latest offset",
        },
      ],
      examples: [
        "denokafka topics describe orders --configs --offsets",
        "denokafka topics describe --json | jq '.topics[].name'",
      ],
      run: describe,
    },
    {
      name: "create",
      aliases: ["create_topic"],
      summary: "create a topic",
      connection: true,
      positionals: [{ name: "TOPIC", help: "the topic name" }],
      flags: [
        {
          name: "partitions",
          short: "p",
          aliases: ["num_partitions"],
          type: "int",
          arg: "N",
          help: "partition count",
          defaultText: "the broker's num.partitions",
        },
        {
          name: "replication-factor",
          short: "r",
          aliases: ["replication_factor"],
          type: "int",
          arg: "N",
          help: "replicas per partition",
          defaultText: "the broker's default.replication.factor",
        },
        {
          name: "config",
          short: "c",
          aliases: ["config_entries"],
          type: "list",
          arg: "NAME=VALUE",
          help: "a topic config",
        },
        {
          name: "replica-assignment",
          aliases: ["replica_assignment"],
          type: "string",
          arg: "1:2,2:1",
          help: "broker ids per partition (instead of -p and -r)",
        },
        {
          name: "if-not-exists",
          type: "boolean",
          help: "succeed when the topic exists",
        },
        {
          name: "validate-only",
          type: "boolean",
          help: "only check that it would work",
        },
        TIMEOUT_FLAG,
        JSON_FLAG,
      ],
      examples: [
        "denokafka topics create orders -p 6 -r 2 -c retention.ms=86400000",
      ],
      run: create,
    },
    {
      name: "delete",
      aliases: ["delete_topic"],
      summary: "delete topics",
      connection: true,
      positionals: [{
        name: "TOPIC",
        help: "topics to delete",
        variadic: true,
      }],
      flags: [
        {
          name: "if-exists",
          type: "boolean",
          help: "skip topics that do not exist",
        },
        { name: "quiet", short: "q", type: "boolean", help: "print nothing" },
        TIMEOUT_FLAG,
      ],
      examples: ["denokafka topics delete orders-old orders-older"],
      run: remove,
    },
    {
      name: "alter-config",
      summary: "set or remove topic configs (the others stay as they are)",
      connection: true,
      positionals: [{ name: "TOPIC", help: "the topic" }],
      flags: [
        {
          name: "set",
          short: "s",
          type: "list",
          arg: "NAME=VALUE",
          help: "set a config",
        },
        {
          name: "delete",
          short: "d",
          type: "list",
          arg: "NAME",
          help: "back to the default",
        },
        {
          name: "validate-only",
          type: "boolean",
          help: "only check that it would work",
        },
        JSON_FLAG,
      ],
      examples: [
        "denokafka topics alter-config orders --set retention.ms=3600000 --delete cleanup.policy",
      ],
      run: alterConfig,
    },
    {
      name: "add-partitions",
      summary: "raise the partition count of a topic",
      connection: true,
      positionals: [
        { name: "TOPIC", help: "the topic" },
        { name: "COUNT", help: "the new total number of partitions" },
      ],
      flags: [{
        name: "validate-only",
        type: "boolean",
        help: "only check that it would work",
      }],
      examples: ["denokafka topics add-partitions orders 12"],
      run: addPartitions,
    },
  ],
};
