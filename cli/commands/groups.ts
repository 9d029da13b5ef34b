/**
 * `denokafka groups`: list, describe (members, committed offsets and lag)
 * and delete consumer groups (pykafka's `print_managed_consumer_groups`).
 *
 * @module
 */

import type { GroupDescription, KafkaClient } from "../../mod.ts";
import type { CommandSpec, ParsedArgs } from "../_args.ts";
import {
  existingTopic,
  JSON_FLAG,
  print,
  printJson,
  withClient,
} from "../_common.ts";
import { stdoutColor, table } from "../_io.ts";

function subscribedTo(g: GroupDescription, topic: string): boolean {
  return g.members.some((m) =>
    m.subscription?.includes(topic) || m.assignedPartitions?.has(topic)
  );
}

async function list(args: ParsedArgs): Promise<void> {
  await withClient(args, async (client) => {
    const states = args.list("state").flatMap((s) => s.split(","));
    let groups = await client.listGroups(states.length ? { states } : {});
    const topic = args.string("topic");
    if (topic !== undefined) {
      await existingTopic(client, topic);
      const ids = groups.map((g) => g.groupId);
      const described = ids.length ? await client.describeGroups(ids) : [];
      const keep = new Set<string>();
      await Promise.all(described.map(async (d) => {
        if (subscribedTo(d, topic)) keep.add(d.groupId);
        else {
          const offsets = await client.fetchConsumerGroupOffsets(d.groupId, [
            topic,
          ]);
          if ((offsets.get(topic)?.size ?? 0) > 0) keep.add(d.groupId);
        }
      }));
      groups = groups.filter((g) => keep.has(g.groupId));
    }
    if (args.bool("json")) {
      await printJson(groups);
      return;
    }
    await print(table(
      ["Group", "State", "Type", "Protocol Type", "Coordinator"],
      groups.map((g) => [
        g.groupId,
        g.state ?? "",
        g.type ?? "",
        g.protocolType,
        g.coordinatorId,
      ]),
      stdoutColor(),
    ));
  });
}

interface OffsetRow {
  topic: string;
  partition: number;
  committed: number;
  latest: number;
  lag: number;
  member: string;
}

async function offsetRows(
  client: KafkaClient,
  d: GroupDescription,
): Promise<OffsetRow[]> {
  const committed = await client.fetchConsumerGroupOffsets(d.groupId);
  const owner = new Map<string, string>();
  for (const m of d.members) {
    for (const [t, ps] of m.assignedPartitions ?? []) {
      for (const p of ps) owner.set(`${t}/${p}`, m.clientId || m.memberId);
    }
  }
  const rows: OffsetRow[] = [];
  for (
    const [t, parts] of [...committed].sort(([a], [b]) => a.localeCompare(b))
  ) {
    let latest = new Map<number, number>();
    try {
      const topic = await client.topics.get(t, { autoCreate: false });
      latest = await topic.latestAvailableOffsets();
    } catch { /* a deleted topic: offsets without an end */ }
    for (const [p, o] of parts) {
      const l = latest.get(p) ?? -1;
      rows.push({
        topic: t,
        partition: p,
        committed: o.offset,
        latest: l,
        lag: l < 0 ? -1 : Math.max(0, l - o.offset),
        member: owner.get(`${t}/${p}`) ?? "",
      });
    }
  }
  return rows;
}

async function describe(args: ParsedArgs): Promise<void> {
  await withClient(args, async (client) => {
    const descriptions = await client.describeGroups([...args.positionals]);
    const withOffsets = await Promise.all(descriptions.map(async (d) => ({
      d,
      offsets: await offsetRows(client, d),
    })));
    if (args.bool("json")) {
      await printJson(withOffsets.map(({ d, offsets }) => ({
        groupId: d.groupId,
        state: d.state,
        protocolType: d.protocolType,
        protocol: d.protocol,
        coordinatorId: d.coordinatorId,
        members: d.members.map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          subscription: m.subscription,
          assignment: m.assignedPartitions
            ? Object.fromEntries(m.assignedPartitions)
            : null,
        })),
        offsets,
      })));
      return;
    }
    const color = stdoutColor();
    let out = "";
    for (const { d, offsets } of withOffsets) {
      if (out) out += "\n";
      out += `Group: ${d.groupId}  State: ${d.state}  Protocol: ${
        d.protocolType || "-"
      }/${
        d.protocol || "-"
      }  Coordinator: ${d.coordinatorId}  Members: ${d.members.length}\n`;
      if (d.members.length > 0) {
        out += table(
          ["Member", "Client ID", "Host", "Assignment"],
          d.members.map((m) => [
            m.memberId,
            m.clientId,
            m.clientHost,
            [...(m.assignedPartitions ?? [])].map(([t, ps]) =>
              `${t}:${ps.join(",")}`
            )
              .join(" "),
          ]),
          color,
        );
      }
      if (offsets.length > 0) {
        out += table(
          [
            "Topic",
            "Partition",
            "Current Offset",
            "Latest Offset",
            "Lag",
            "Member",
          ],
          offsets.map((r) => [
            r.topic,
            r.partition,
            r.committed,
            r.latest < 0 ? "-" : r.latest,
            r.lag < 0 ? "-" : r.lag,
            r.member,
          ]),
          color,
        );
        out += `Total lag: ${
          offsets.reduce((a, r) => a + Math.max(0, r.lag), 0)
        }\n`;
      } else out += "No committed offsets.\n";
    }
    await print(out);
  });
}

async function remove(args: ParsedArgs): Promise<void> {
  await withClient(args, async (client) => {
    await client.deleteGroups([...args.positionals]);
    if (!args.bool("quiet")) {
      for (const g of args.positionals) await print(`deleted group ${g}\n`);
    }
  });
}

/** The `groups` command. */
export const groupsCommand: CommandSpec = {
  name: "groups",
  summary: "list, describe and delete consumer groups",
  subcommands: [
    {
      name: "list",
      aliases: ["print_managed_consumer_groups"],
      summary: "the consumer groups of the cluster",
      connection: true,
      flags: [
        {
          name: "topic",
          short: "t",
          type: "string",
          arg: "TOPIC",
          help:
            "only groups with members subscribed to TOPIC or offsets committed for it",
        },
        {
          name: "state",
          type: "list",
          arg: "STATE",
          help: "only groups in this state (Stable, Empty, ...; Kafka 2.6+)",
        },
        JSON_FLAG,
      ],
      examples: [
        "denokafka groups list",
        "denokafka groups list --topic orders --json",
      ],
      run: list,
    },
    {
      name: "describe",
      summary: "state, members, committed offsets and lag of groups",
      connection: true,
      positionals: [{
        name: "GROUP",
        help: "groups to describe",
        variadic: true,
      }],
      flags: [JSON_FLAG],
      examples: ["denokafka groups describe billing"],
      run: describe,
    },
    {
      name: "delete",
      summary:
        "delete groups and their committed offsets (only groups without members)",
      connection: true,
      positionals: [{
        name: "GROUP",
        help: "groups to delete",
        variadic: true,
      }],
      flags: [{
        name: "quiet",
        short: "q",
        type: "boolean",
        help: "print nothing",
      }],
      examples: ["denokafka groups delete old-billing"],
      run: remove,
    },
  ],
};
