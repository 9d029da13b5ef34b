// topics, brokers and groups commands end to end, and perf.
import assert from "node:assert/strict";
import { cluster } from "../cluster/mod.ts";
import { KafkaClient } from "../../mod.ts";
import {
  cli,
  deleteTopics,
  HOSTS,
  HOSTS4,
  jsonLines,
  ok,
  uniqueName,
} from "./_helpers.ts";

Deno.test("cli: topics create / list / describe / alter-config / add-partitions / delete", async () => {
  const name = uniqueName("topics");
  try {
    const created = await ok([
      "topics",
      "create",
      name,
      "-p",
      "2",
      "-r",
      "2",
      "-c",
      "retention.ms=3600000",
      "-c",
      "cleanup.policy=compact",
      "--json",
    ]);
    assert.deepEqual(
      { ...JSON.parse(created.stdout), topicId: undefined },
      { name, numPartitions: 2, replicationFactor: 2, topicId: undefined },
    );
    // Exists: an error, or fine with --if-not-exists.
    const again = await cli(["topics", "create", name]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /TopicAlreadyExists/);
    assert.equal(again.stderr.trimEnd().split("\n").length, 1);
    await ok(["topics", "create", name, "--if-not-exists"]);

    const list = JSON.parse((await ok(["topics", "list", "--json"])).stdout);
    assert.deepEqual(list.find((t: { name: string }) => t.name === name), {
      name,
      partitions: 2,
      replicationFactor: 2,
      internal: false,
    });
    const listText = (await ok(["print_topics"])).stdout;
    assert.match(listText, new RegExp(`^${name}\\s+2\\s+2$`, "m"));
    assert.doesNotMatch(listText, /__consumer_offsets/);
    // A fresh cluster has no offsets topic until a group coordinator is
    // looked up; the lookup (with its retries) creates it.
    const admin = await KafkaClient.connect({ hosts: HOSTS });
    try {
      await admin.cluster.getGroupCoordinator(`${name}-g`);
    } finally {
      await admin.close();
    }
    assert.match(
      (await ok(["topics", "list", "--internal"])).stdout,
      /__consumer_offsets/,
    );

    const d = JSON.parse(
      (await ok([
        "topics",
        "describe",
        name,
        "--configs",
        "--offsets",
        "--json",
      ])).stdout,
    );
    assert.deepEqual(
      d.brokers.map((b: { id: number }) => b.id),
      cluster.brokerIds("kafka39"),
    );
    assert.equal(d.topics.length, 1);
    assert.deepEqual(d.topics[0].configs, {
      "cleanup.policy": "compact",
      "retention.ms": "3600000",
    });
    for (const p of d.topics[0].partitions) {
      assert.equal(p.replicas.length, 2);
      assert.ok(p.replicas.includes(p.leader));
      assert.equal(p.earliest, 0);
      assert.equal(p.latest, 0);
    }
    const text = (await ok(["desc_topic", name])).stdout;
    assert.match(
      text,
      new RegExp(`^Topic: ${name}  Partitions: 2  Replication: 2`),
    );
    assert.match(text, /Partition\s+Leader\s+Replicas\s+ISR/);

    // alter-config changes only what it names.
    const altered = await ok([
      "topics",
      "alter-config",
      name,
      "--set",
      "retention.ms=7200000",
      "--set",
      "max.message.bytes=200000",
      "--delete",
      "cleanup.policy",
      "--json",
    ]);
    assert.deepEqual(JSON.parse(altered.stdout).configs, {
      "max.message.bytes": "200000",
      "retention.ms": "7200000",
    });
    const none = await cli(["topics", "alter-config", name]);
    assert.equal(none.code, 2);

    await ok(["topics", "add-partitions", name, "4"]);
    const d2 = JSON.parse(
      (await ok(["topics", "describe", name, "-J"])).stdout,
    );
    assert.equal(d2.topics[0].partitions.length, 4);
  } finally {
    const del = await ok(["topics", "delete", name]);
    assert.equal(del.stdout, `deleted topic ${name}\n`);
  }
  const gone = await cli(["topics", "describe", name]);
  assert.equal(gone.code, 1);
  assert.match(gone.stderr, /topic .* does not exist/);
  const delAgain = await cli(["topics", "delete", name]);
  assert.equal(delAgain.code, 1);
  await ok(["topics", "delete", name, "--if-exists"]);
});

Deno.test("cli: brokers, groups list / describe / delete (Kafka 4.x)", async () => {
  const b = JSON.parse(
    (await ok(["brokers", "--json"], { hosts: HOSTS4 })).stdout,
  );
  assert.deepEqual(
    b.brokers.map((x: { id: number }) => x.id),
    cluster.brokerIds("kafka4"),
  );
  assert.equal(typeof b.clusterId, "string");
  const topic = uniqueName("groups");
  const group = `${topic}-g`;
  await ok(["topics", "create", topic, "-p", "1", "-r", "1"], {
    hosts: HOSTS4,
  });
  try {
    await ok(["produce", topic], { stdin: "a\nb\nc\n", hosts: HOSTS4 });
    await ok(["consume", topic, "-g", group, "-c", "2"], { hosts: HOSTS4 });
    const groups = jsonLines<{ groupId: string; state?: string }[]>(
      (await ok(["groups", "list", "--json"], { hosts: HOSTS4 })).stdout,
    )[0];
    assert.ok(groups.some((g) => g.groupId === group));
    const byTopic = JSON.parse(
      (await ok(["groups", "list", "-t", topic, "--json"], { hosts: HOSTS4 }))
        .stdout,
    );
    assert.deepEqual(byTopic.map((g: { groupId: string }) => g.groupId), [
      group,
    ]);
    const text =
      (await ok(["groups", "describe", group], { hosts: HOSTS4 })).stdout;
    assert.match(text, new RegExp(`^Group: ${group}  State: Empty`));
    assert.match(text, new RegExp(`${topic}\\s+0\\s+2\\s+3\\s+1`));
    assert.match(text, /Total lag: 1/);
    await ok(["groups", "delete", group], { hosts: HOSTS4 });
    const after = JSON.parse(
      (await ok(["groups", "describe", group, "--json"], { hosts: HOSTS4 }))
        .stdout,
    );
    assert.equal(after[0].state, "Dead");
    assert.deepEqual(after[0].offsets, []);
  } finally {
    await deleteTopics([topic], HOSTS4);
  }
});

Deno.test("cli: perf produce and perf consume report counts, rates and latencies", async () => {
  const topic = uniqueName("perf");
  await ok(["topics", "create", topic, "-p", "2", "-r", "1"]);
  try {
    const p = JSON.parse(
      (await ok([
        "perf",
        "produce",
        topic,
        "-c",
        "5000",
        "-s",
        "200",
        "-z",
        "lz4",
        "--json",
      ])).stdout,
    );
    assert.equal(p.records, 5000);
    assert.equal(p.recordSize, 200);
    assert.ok(p.recordsPerSec > 0 && p.mbPerSec > 0);
    for (const k of ["avg", "p50", "p95", "p99", "p999", "max"]) {
      assert.ok(p.latencyMs[k] >= 0, k);
    }
    assert.ok(
      p.latencyMs.p50 <= p.latencyMs.p99 && p.latencyMs.p99 <= p.latencyMs.max,
    );
    const c = JSON.parse(
      (await ok(["perf", "consume", topic, "--json"])).stdout,
    );
    assert.equal(c.records, 5000);
    assert.equal(c.mb, 1);
    assert.ok(c.endToEndLatencyMs.max >= c.endToEndLatencyMs.p50);
    const text = (await ok(["perf", "consume", topic, "-c", "100"])).stdout;
    assert.match(
      text,
      /^100 records \(0\.02 MB\) consumed in [\d.]+ s: [\d.]+ records\/sec/,
    );
    const pt =
      (await ok(["perf", "produce", topic, "-c", "100", "--rate", "1000"]))
        .stdout;
    assert.match(
      pt,
      /^100 records sent, [\d.]+ records\/sec \([\d.]+ MB\/sec\), [\d.]+ ms avg latency/,
    );
  } finally {
    await deleteTopics([topic]);
  }
});

Deno.test("cli: TLS, mutual TLS with an encrypted key, SASL passwords from a file and the environment, ZooKeeper discovery", async () => {
  const tls = cluster.tls;
  const dir = await Deno.makeTempDir();
  try {
    const pwFile = `${dir}/sasl-password`;
    await Deno.writeTextFile(pwFile, `${cluster.sasl.alice.password}\n`);
    const expect = cluster.brokerIds("kafka39");
    const ids = (r: { stdout: string }) =>
      JSON.parse(r.stdout).brokers.map((b: { id: number }) => b.id);
    // SASL_SSL: CA file, SCRAM, the password from a file.
    let r = await ok([
      "brokers",
      "--json",
      "--tls-cafile",
      tls.caFile,
      "--sasl-mechanism",
      "SCRAM-SHA-512",
      "--sasl-username",
      "alice",
      "--sasl-password-file",
      pwFile,
    ], { hosts: cluster.bootstrap("kafka39", "SASL_SSL") });
    assert.deepEqual(ids(r), expect);
    // SASL_PLAINTEXT: PLAIN, the password from a named variable and then
    // from KAFKA_SASL_PASSWORD; neither shows on the command line.
    r = await ok([
      "brokers",
      "--json",
      "--sasl-mechanism",
      "PLAIN",
      "--sasl-username",
      "alice",
      "--sasl-password-env",
      "MY_PW",
    ], {
      hosts: cluster.bootstrap("kafka39", "SASL_PLAINTEXT"),
      env: { MY_PW: cluster.sasl.alice.password },
    });
    assert.deepEqual(ids(r), expect);
    r = await ok(["brokers", "--json"], {
      hosts: cluster.bootstrap("kafka39", "SASL_PLAINTEXT"),
      env: {
        KAFKA_SASL_MECHANISM: "SCRAM-SHA-256",
        KAFKA_SASL_USERNAME: "alice",
        KAFKA_SASL_PASSWORD: cluster.sasl.alice.password,
      },
    });
    assert.deepEqual(ids(r), expect);
    // A wrong password: one line, exit 1.
    const bad = await cli([
      "brokers",
      "--sasl-mechanism",
      "PLAIN",
      "--sasl-username",
      "alice",
      "--sasl-password-env",
      "MY_PW",
    ], {
      hosts: cluster.bootstrap("kafka39", "SASL_PLAINTEXT"),
      env: { MY_PW: "wrong" },
    });
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr.trimEnd().split("\n").length, 1);
    assert.match(bad.stderr, /Authentication|SASL/i);
    // Mutual TLS with the encrypted key, its password from the environment.
    r = await ok([
      "brokers",
      "--json",
      "--tls-cafile",
      tls.caFile,
      "--tls-certfile",
      tls.clientCertFile,
      "--tls-keyfile",
      tls.clientEncryptedKeyFile,
    ], {
      hosts: cluster.bootstrap("kafka39", "MTLS"),
      env: { KAFKA_TLS_KEY_PASSWORD: cluster.tlsKeyPassword },
    });
    assert.deepEqual(ids(r), expect);
    // Brokers found through ZooKeeper.
    r = await ok(
      ["brokers", "--json", "--zookeeper-hosts", cluster.zookeeper],
      {
        hosts: false,
      },
    );
    assert.deepEqual(ids(r), expect);
    // --broker-version caps the protocol.
    r = await ok(["brokers", "--json", "--broker-version", "0.10.2"]);
    assert.deepEqual(ids(r), expect);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
