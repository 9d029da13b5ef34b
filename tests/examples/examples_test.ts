// Every program in examples/ runs against the local cluster with the
// permissions its header documents (--allow-net for the brokers' host; the
// TLS example also --allow-read for the CA file and --allow-env for the
// password) and prints what it promises.
import assert from "node:assert/strict";
import { ZookeeperClient } from "../../mod.ts";
import { cluster } from "../cluster/mod.ts";

const ROOT = new URL("../../", import.meta.url);
const TIMEOUT_MS = 120_000;

async function runExample(
  file: string,
  args: string[],
  options: { permissions?: string[]; env?: Record<string, string> } = {},
): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      ...(options.permissions ?? ["--allow-net=127.0.0.1"]),
      new URL(`examples/${file}`, ROOT).pathname,
      ...args,
    ],
    cwd: ROOT,
    env: options.env,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
    signal: AbortSignal.timeout(TIMEOUT_MS),
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(
    out.code,
    0,
    `examples/${file} exited ${out.code}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`,
  );
  return stdout;
}

const kafka39 = cluster.bootstrap("kafka39", "PLAINTEXT");
const kafka4 = cluster.bootstrap("kafka4", "PLAINTEXT");

for (const [name, hosts] of [["Kafka 3.9", kafka39], ["Kafka 4.x", kafka4]]) {
  Deno.test(`examples/client_metadata.ts (${name})`, async () => {
    const out = await runExample("client_metadata.ts", [hosts]);
    for (const b of hosts.split(",")) {
      assert.match(out, new RegExp(`at ${b.replaceAll(".", "\\.")} `));
    }
    assert.match(out, /Produce v\d+, Fetch v\d+/);
    assert.match(out, /partition 2: leader \d+/);
  });

  Deno.test(`examples/producer.ts (${name})`, async () => {
    const out = await runExample("producer.ts", [hosts]);
    assert.match(
      out,
      /async producer: 1000 delivered, 0 failed \(partition:count 0:\d+ 1:\d+ 2:\d+\)/,
    );
    assert.match(out, /sync producer: delivered to partition 0 at offset \d+/);
    assert.match(out, /the topic now holds 1001 messages/);
  });
}

Deno.test("examples/simple_consumer.ts", async () => {
  const out = await runExample("simple_consumer.ts", [kafka39]);
  assert.match(out, /first message: "event \d+"/);
  assert.match(out, /consumed 10 messages; committed offsets \d:\d+ \d:\d+/);
  assert.match(
    out,
    /resumed after the commit: 5 new messages \(event 10, event 11, event 12, event 13, event 14\)/,
  );
});

Deno.test("examples/managed_consumer.ts", async () => {
  const out = await runExample("managed_consumer.ts", [kafka39]);
  assert.match(
    out,
    /group \S+: a holds (0,1|2,3), b holds (0,1|2,3) \(range, generation \d+\)/,
  );
  const [, a, b] = /a holds (\S+), b holds (\S+)/.exec(out)!;
  assert.notEqual(a, b);
  assert.match(
    out,
    /a consumed \d+, b consumed \d+: 200 records, each exactly once/,
  );
  assert.match(out, /lag of the group after the commits: 0/);
  assert.match(
    out,
    /b left; a holds 0,1,2,3 and consumed "after b left" next/,
  );
});

Deno.test("examples/balanced_consumer.ts", async () => {
  const out = await runExample("balanced_consumer.ts", [
    kafka39,
    cluster.zookeeper,
  ]);
  assert.match(
    out,
    /member a holds partitions (\d(,\d)*), member b (\d(,\d)*)\n/,
  );
  const [, pa, , pb] = out.match(
    /member a holds partitions (\d(,\d)*), member b (\d(,\d)*)/,
  )!;
  assert.deepEqual(
    [...pa.split(","), ...pb.split(",")].sort(),
    ["0", "1", "2"],
  );
  const [, byA, byB] = out.match(
    /read 300 messages, each exactly once: (\d+) by a, (\d+) by b/,
  )!;
  assert.equal(Number(byA) + Number(byB), 300);
  assert.ok(Number(byA) > 0 && Number(byB) > 0);
  assert.match(out, /b left; a holds partitions 0,1,2/);
  assert.match(out, /a read the 30 new messages and nothing twice/);
});

Deno.test("examples/tls_sasl.ts", async () => {
  const ca = cluster.tls.caFile;
  const out = await runExample(
    "tls_sasl.ts",
    [cluster.bootstrap("kafka39", "SASL_SSL"), ca, cluster.sasl.alice.username],
    {
      permissions: [
        "--allow-net=127.0.0.1",
        `--allow-read=${ca}`,
        "--allow-env=KAFKA_PASSWORD",
      ],
      env: { KAFKA_PASSWORD: cluster.sasl.alice.password },
    },
  );
  assert.match(
    out,
    /connected over TLS as alice \(SCRAM-SHA-512\) to 2 broker\(s\)/,
  );
  assert.match(out, /produced over TLS \+ SASL at offset 0/);
});

Deno.test("examples/streams_bridge.ts", async () => {
  const out = await runExample("streams_bridge.ts", [kafka39]);
  assert.match(out, /bridged 500 messages from \S+ to \S+/);
  assert.match(out, /holds 500 messages/);
});

Deno.test("examples/demo.ts", async () => {
  const out = await runExample("demo.ts", [kafka39, cluster.zookeeper]);
  assert.match(
    out,
    /produced 100000 records \(lz4, acks=all\) in \d+ ms: [\d,]+ records\/s/,
  );
  assert.match(out, /100000 delivery reports, no errors/);
  assert.match(
    out,
    /consumed 100000 records in \d+ ms: .*each exactly once, keys, headers and order per key checked/,
  );
  const [, split, a, b] = out.match(
    /ZooKeeper group of 2 \(partitions ([\d,]+ \| [\d,]+)\): consumed 100000 records in \d+ ms: [\d,]+ records\/s; each exactly once \((\d+) \+ (\d+)\), checked as above/,
  )!;
  assert.deepEqual(split.split(/ \| |,/).sort(), ["0", "1", "2"]);
  assert.equal(Number(a) + Number(b), 100000);
  const [, mSplit, ma, mb] = out.match(
    /managed group of 2 \(partitions ([\d,]+ \| [\d,]+)\): consumed 100000 records in \d+ ms: [\d,]+ records\/s; each exactly once \((\d+) \+ (\d+)\), checked as above/,
  )!;
  assert.deepEqual(mSplit.split(/ \| |,/).sort(), ["0", "1", "2"]);
  assert.equal(Number(ma) + Number(mb), 100000);
  assert.match(
    out,
    /offsets per partition: 0:\d+ 1:\d+ 2:\d+ \(100000 records\)/,
  );
  assert.match(
    out,
    /lag of group \S+: 0:0 1:0 2:0 \(zero on every partition, and for the managed and ZooKeeper groups\)/,
  );
  assert.match(out, /deleted topic/);
  // The ZooKeeper group's nodes are gone.
  const topic = out.match(/created topic (\S+):/)![1];
  await using zk = await ZookeeperClient.connect(cluster.zookeeper);
  assert.equal(await zk.exists(`/consumers/${topic}-zk`), null);
});

Deno.test("examples/demo.ts without a ZooKeeper (Kafka 4.x) skips the ZooKeeper group and says so", async () => {
  const out = await runExample("demo.ts", [kafka4]);
  assert.match(
    out,
    /ZooKeeper group: skipped \(give the cluster's ZooKeeper as the second argument\)/,
  );
  assert.match(out, /managed group of 2 \(partitions [\d,]+ \| [\d,]+\)/);
  assert.match(
    out,
    /lag of group \S+: 0:0 1:0 2:0 \(zero on every partition, and for the managed group\)/,
  );
});

for (const [name, hosts] of [["Kafka 3.9", kafka39], ["Kafka 4.x", kafka4]]) {
  Deno.test(`examples/transactions.ts (${name})`, async () => {
    const out = await runExample("transactions.ts", [hosts]);
    assert.match(out, /round 1: committed 10 invoices/);
    assert.match(out, /round 2: aborted 10 invoices/);
    assert.match(out, /30 orders invoiced in committed transactions/);
    assert.match(
      out,
      /read_committed: 30 invoices, 30 distinct \(of 30 orders\)/,
    );
  });
}
