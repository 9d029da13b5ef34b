// `consume --balanced zookeeper`: the CLI as a member of a ZooKeeper group
// (pykafka's BalancedConsumer layout), end to end against the 3.9 cluster
// and its ZooKeeper: records, committed offsets, two members at once, the
// group's nodes gone after exit, and the usage error without
// --zookeeper-hosts.
import assert from "node:assert/strict";
import { ZookeeperClient } from "../../mod.ts";
import { cluster } from "../cluster/mod.ts";
import {
  cli,
  createTopic,
  deleteTopics,
  jsonLines,
  ok,
  uniqueName,
} from "./_helpers.ts";

const ZK = cluster.zookeeper;

/** `consume TOPIC --balanced zookeeper` in `group`, plus `extra` flags. */
function member(topic: string, group: string, extra: string[]): string[] {
  return [
    "consume",
    topic,
    "-J",
    "--group",
    group,
    "--balanced",
    "zookeeper",
    "--zookeeper-hosts",
    ZK,
    ...extra,
  ];
}

/** The group's registered member ids and owner nodes in ZooKeeper. */
async function groupNodes(
  group: string,
): Promise<{ ids: string[]; owners: string[] }> {
  await using zk = new ZookeeperClient(ZK);
  await zk.start();
  const children = async (path: string) => {
    try {
      return await zk.getChildren(path);
    } catch {
      return [];
    }
  };
  const ids = await children(`/consumers/${group}/ids`);
  const owners: string[] = [];
  for (const t of await children(`/consumers/${group}/owners`)) {
    owners.push(...await children(`/consumers/${group}/owners/${t}`));
  }
  return { ids, owners };
}

/** `n` keyed lines `k<i>:v<i>` (keys spread over the partitions). */
function keyedLines(from: number, n: number): string {
  return Array.from({ length: n }, (_, i) => `k${from + i}:v${from + i}\n`)
    .join("");
}

Deno.test("cli: consume --balanced zookeeper reads every record, commits, resumes, and leaves no nodes behind", async () => {
  const topic = await createTopic("zkbal", 3);
  const group = uniqueName("zkbal-g");
  try {
    await ok(["produce", topic, "-K", ":"], { stdin: keyedLines(0, 30) });
    let r = await ok(member(topic, group, ["--count", "30"]));
    const first = jsonLines<{ partition: number; value: string }>(r.stdout);
    assert.deepEqual(
      first.map((m) => m.value).sort(),
      Array.from({ length: 30 }, (_, i) => `v${i}`).sort(),
    );
    assert.ok(
      new Set(first.map((m) => m.partition)).size > 1,
      "the keys spread over several partitions",
    );
    // Gone from ZooKeeper once the command ended (stop() deletes them).
    assert.deepEqual(await groupNodes(group), { ids: [], owners: [] });
    // The offsets were committed to Kafka: a new member resumes after
    // them and sees only what was produced since.
    await ok(["produce", topic, "-K", ":"], { stdin: keyedLines(30, 3) });
    r = await ok(member(topic, group, ["--idle-timeout-ms", "3000"]));
    assert.deepEqual(
      jsonLines<{ value: string }>(r.stdout).map((m) => m.value).sort(),
      ["v30", "v31", "v32"],
    );
  } finally {
    await deleteTopics([topic]);
    await cli(["groups", "delete", "-q", group]);
  }
});

Deno.test("cli: two consume --balanced zookeeper members at once split the records, none read twice or left out", async () => {
  const topic = await createTopic("zkbal2", 4);
  const group = uniqueName("zkbal2-g");
  const COUNT = 400;
  try {
    await ok(["produce", topic, "-K", ":"], { stdin: keyedLines(0, COUNT) });
    // Both run until nothing arrived for 4 s; the second joins while the
    // first is starting or consuming, so the group rebalances under load
    // (each member commits before it releases a partition).
    const [a, b] = await Promise.all([
      ok(member(topic, group, ["--idle-timeout-ms", "4000"])),
      ok(member(topic, group, ["--idle-timeout-ms", "4000"])),
    ]);
    const seen = [
      ...jsonLines<{ partition: number; offset: number }>(
        a.stdout,
      ),
      ...jsonLines<{ partition: number; offset: number }>(b.stdout),
    ].map((
      m,
    ) => `${m.partition}/${m.offset}`);
    assert.equal(new Set(seen).size, seen.length, "a record was read twice");
    assert.equal(seen.length, COUNT);
    assert.deepEqual(await groupNodes(group), { ids: [], owners: [] });
  } finally {
    await deleteTopics([topic]);
    await cli(["groups", "delete", "-q", group]);
  }
});

Deno.test("cli: consume --balanced zookeeper without --zookeeper-hosts is a usage error", async () => {
  const topic = await createTopic("zkbal3", 1);
  try {
    const r = await cli([
      "consume",
      topic,
      "-g",
      "g",
      "--balanced",
      "zookeeper",
    ]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--balanced zookeeper needs --zookeeper-hosts/);
    assert.equal(r.stdout, "");
  } finally {
    await deleteTopics([topic]);
  }
});
