// Where kcat and the CLI do the same job, their outputs agree on the same
// topic: metadata (kcat -L vs topics describe), consuming with a format
// string (kcat -C -e -f vs consume --format), the default value output, -K
// keys, -o -N, and records produced by one read by the other. Skipped
// visibly without kcat (required in CI).
import assert from "node:assert/strict";
import { kcat } from "../cluster/interop.ts";
import { cluster } from "../cluster/mod.ts";
import {
  createTopic,
  dec,
  deleteTopics,
  enc,
  HOSTS,
  HOSTS4,
  ok,
} from "./_helpers.ts";

async function runKcat(args: string[], stdin?: string): Promise<string> {
  const child = new Deno.Command("kcat", {
    args,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).spawn();
  if (stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(enc.encode(stdin));
    await w.close();
  }
  const o = await child.output();
  assert.equal(
    o.code,
    0,
    `kcat ${args.join(" ")}: ${dec.decode(o.stderr)}`,
  );
  return dec.decode(o.stdout);
}

interface KcatMetadata {
  controllerid: number;
  brokers: { id: number; name: string }[];
  topics: {
    topic: string;
    partitions: {
      partition: number;
      leader: number;
      replicas: { id: number }[];
      isrs: { id: number }[];
    }[];
  }[];
}

interface CliMetadata {
  controller: number;
  brokers: { id: number; host: string; port: number; controller: boolean }[];
  topics: {
    name: string;
    partitions: {
      partition: number;
      leader: number;
      replicas: number[];
      isr: number[];
    }[];
  }[];
}

for (const [label, hosts] of [["Kafka 3.9", HOSTS], ["Kafka 4.x", HOSTS4]]) {
  kcat.test(`cli vs kcat (${label}): kcat -L -J and topics describe --json agree`, async () => {
    const rf = label === "Kafka 3.9" ? 2 : 1;
    const topic = await createTopic("meta", 3, hosts, rf);
    try {
      const k: KcatMetadata = JSON.parse(
        await runKcat(["-L", "-J", "-b", hosts, "-t", topic]),
      );
      const c: CliMetadata = JSON.parse(
        (await ok(["topics", "describe", topic, "--json"], { hosts })).stdout,
      );
      assert.equal(c.controller, k.controllerid);
      assert.deepEqual(
        c.brokers.map((b) => [b.id, `${b.host}:${b.port}`]),
        k.brokers.map((b) => [b.id, b.name]).sort((a, b) =>
          (a[0] as number) - (b[0] as number)
        ),
      );
      assert.deepEqual(
        c.brokers.filter((b) => b.controller).map((b) => b.id),
        [k.controllerid],
      );
      assert.equal(c.topics.length, 1);
      const kt = k.topics.find((t) => t.topic === topic)!;
      assert.deepEqual(
        c.topics[0].partitions.map((p) => ({
          partition: p.partition,
          leader: p.leader,
          replicas: p.replicas,
          isrs: [...p.isr].sort(),
        })),
        kt.partitions.map((p) => ({
          partition: p.partition,
          leader: p.leader,
          replicas: p.replicas.map((r) => r.id),
          isrs: p.isrs.map((r) => r.id).sort(),
        })).sort((a, b) => a.partition - b.partition),
      );
      // And the text listing: kcat's "with N partitions" is the CLI's count.
      const text = await runKcat(["-L", "-b", hosts, "-t", topic]);
      assert.match(text, new RegExp(`topic "${topic}" with 3 partitions:`));
      const list = JSON.parse(
        (await ok(["topics", "list", "--json"], { hosts })).stdout,
      );
      assert.equal(
        list.find((t: { name: string }) => t.name === topic).partitions,
        3,
      );
      assert.equal(
        cluster.brokerIds(label === "Kafka 3.9" ? "kafka39" : "kafka4").length,
        c.brokers.length,
      );
    } finally {
      await deleteTopics([topic], hosts);
    }
  });
}

kcat.test("cli vs kcat: consume --format and kcat -C -e -f print the same records", async () => {
  const topic = await createTopic("fmt", 3);
  try {
    // Records from kcat (keys, headers) and from the CLI.
    await runKcat(
      [
        "-P",
        "-b",
        HOSTS,
        "-t",
        topic,
        "-K",
        ":",
        "-H",
        "from=kcat",
        "-H",
        "n=",
      ],
      Array.from({ length: 40 }, (_, i) => `key-${i % 9}:kcat value ${i} ✓`)
        .join("\n") + "\n",
    );
    await ok(["produce", topic, "-K", ":", "-H", "from=cli"], {
      stdin: Array.from(
        { length: 40 },
        (_, i) => i % 5 === 0 ? `no key ${i}` : `k${i}:cli value ${i}`,
      ).join("\n"),
    });
    const sorted = (s: string) => s.split("\n").filter((l) => l).sort();
    for (const fmt of ["%k %s\\n", "%t [%p] @%o %K/%S: %k=%s {%h} %T\\n"]) {
      const k = await runKcat([
        "-C",
        "-e",
        "-q",
        "-b",
        HOSTS,
        "-t",
        topic,
        "-f",
        fmt,
      ]);
      const c = (await ok(["consume", topic, "--format", fmt])).stdout;
      assert.equal(sorted(c).length, 80);
      assert.deepEqual(sorted(c), sorted(k), `format ${fmt}`);
    }
    // The default output (values), and kcat's -K key delimiter.
    for (const extra of [[], ["-K", "\\t"]]) {
      const k = await runKcat([
        "-C",
        "-e",
        "-q",
        "-b",
        HOSTS,
        "-t",
        topic,
        ...extra,
      ]);
      const c = (await ok(["consume", topic, ...extra])).stdout;
      assert.deepEqual(sorted(c), sorted(k), `extra ${extra.join(" ")}`);
    }
    // -o -3 on one partition, and -c.
    const k = await runKcat([
      "-C",
      "-e",
      "-q",
      "-b",
      HOSTS,
      "-t",
      topic,
      "-p",
      "1",
      "-o",
      "-3",
      "-f",
      "%o %s\\n",
    ]);
    const c =
      (await ok(["consume", topic, "-p", "1", "-o", "-3", "-f", "%o %s\\n"]))
        .stdout;
    assert.equal(c, k);
    assert.equal(c.split("\n").filter((l) => l).length, 3);
  } finally {
    await deleteTopics([topic]);
  }
});
