// `consume --group G --balanced managed` end to end: two CLI consumers in
// one group split the topic's partitions (each prints only its own
// partitions' records, together every record once) and commit; then a
// kcat -G member (librdkafka) and a CLI consumer share the group.
import assert from "node:assert/strict";
import { cli, createTopic, deleteTopics, jsonLines, ok } from "./_helpers.ts";
import { connect, uniqueName } from "../consumer/_helpers.ts";
import { describeGroup } from "../consumer/_group.ts";
import { kcat } from "../cluster/interop.ts";
import { run } from "../cluster/tools.ts";
import { cluster } from "../cluster/mod.ts";
import { waitFor } from "../wait_for.ts";

const PER_PARTITION = 10;

/** Produces `PER_PARTITION` records to each of partitions 0..3 via the CLI. */
async function produce(topic: string, round: number): Promise<void> {
  for (let p = 0; p < 4; p++) {
    const lines = Array.from(
      { length: PER_PARTITION },
      (_, i) => `r${round}-p${p}-${i}`,
    );
    await ok(["produce", topic, "-p", String(p)], {
      stdin: lines.join("\n") + "\n",
    });
  }
}

/** Waits until the group has `n` members holding 2 partitions each. */
async function twoByTwo(group: string): Promise<string[][]> {
  await using client = await connect("kafka39");
  return await waitFor(async () => {
    const d = await describeGroup(client, group).catch(() => undefined);
    return d?.state === "Stable" && d.members.length === 2 &&
        d.members.every((m) => m.assigned.length === 2)
      ? d.members.map((m) => m.assigned)
      : undefined;
  }, { timeoutMs: 60_000, what: `group ${group} to settle 2/2` });
}

interface Rec {
  partition: number;
  offset: number;
  value: string;
}

function consumeArgs(topic: string, group: string, count: number): string[] {
  return [
    "consume",
    topic,
    "-g",
    group,
    "--balanced",
    "managed",
    "-J",
    "--count",
    String(count),
  ];
}

Deno.test("cli: two consume --balanced managed processes in one group split the partitions, each record once, and commit", async () => {
  const topic = await createTopic("bal-managed", 4);
  const group = uniqueName("cli-bal");
  try {
    const a = cli(consumeArgs(topic, group, 2 * PER_PARTITION), {
      timeoutMs: 90_000,
    });
    const b = cli(consumeArgs(topic, group, 2 * PER_PARTITION), {
      timeoutMs: 90_000,
    });
    const split = await twoByTwo(group);
    await produce(topic, 0);
    const [ra, rb] = await Promise.all([a, b]);
    assert.equal(ra.code, 0, ra.stderr);
    assert.equal(rb.code, 0, rb.stderr);
    const got = [ra, rb].map((r) => jsonLines<Rec>(r.stdout));
    const parts = got.map((rs) => [...new Set(rs.map((r) => r.partition))]);
    assert.ok(
      parts.every((ps) => ps.length === 2),
      `each consumer read 2 partitions: ${JSON.stringify(parts)}`,
    );
    assert.equal(new Set(parts.flat()).size, 4, "disjoint, covering");
    assert.deepEqual(
      split.map((s) => s.length),
      [2, 2],
    );
    const all = got.flat().map((r) => r.value).sort();
    assert.equal(new Set(all).size, 4 * PER_PARTITION, "every record once");
    // Both committed: the group's lag is 0 on every partition.
    const lag = JSON.parse((await ok(["lag", topic, group, "--json"])).stdout);
    assert.equal(lag.partitions.length, 4, JSON.stringify(lag));
    assert.equal(lag.totalLag, 0, JSON.stringify(lag));
    assert.ok(
      lag.partitions.every((r: { committed: number }) =>
        r.committed === PER_PARTITION
      ),
      JSON.stringify(lag),
    );
  } finally {
    await deleteTopics([topic]);
  }
});

kcat.test("cli: consume --balanced managed shares a group with kcat -G: 2/2, each record once", async () => {
  const topic = await createTopic("bal-kcat", 4);
  const group = uniqueName("cli-bal-kcat");
  try {
    const ours = cli(consumeArgs(topic, group, 2 * PER_PARTITION), {
      timeoutMs: 90_000,
    });
    const theirs = run(
      "kcat",
      [
        "-b",
        cluster.bootstrap("kafka39", "PLAINTEXT"),
        "-G",
        group,
        "-c",
        String(2 * PER_PARTITION),
        "-q",
        "-f",
        "%p %o %s\n",
        "-X",
        "auto.offset.reset=earliest",
        "-X",
        "partition.assignment.strategy=range",
        topic,
      ],
      undefined,
      90_000,
    );
    await twoByTwo(group);
    await produce(topic, 0);
    const [r, k] = await Promise.all([ours, theirs]);
    assert.equal(r.code, 0, r.stderr);
    const mine = jsonLines<Rec>(r.stdout);
    const peer = k.trim().split("\n").map((l) => {
      const [p, o, v] = l.split(" ");
      return { partition: Number(p), offset: Number(o), value: v };
    });
    const mp = new Set(mine.map((x) => x.partition));
    const pp = new Set(peer.map((x) => x.partition));
    assert.equal(mp.size, 2, JSON.stringify([...mp]));
    assert.equal(pp.size, 2, JSON.stringify([...pp]));
    assert.ok([...mp].every((p) => !pp.has(p)), "disjoint");
    const values = new Set([...mine, ...peer].map((x) => x.value));
    assert.equal(values.size, 4 * PER_PARTITION, "every record once");
  } finally {
    await deleteTopics([topic]);
  }
});
