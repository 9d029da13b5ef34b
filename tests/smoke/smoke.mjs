// The runtime smoke suite: the same checks under Deno, Node and Bun, against
// the local cluster. Plain JavaScript (ES2022, no `using`), so Node 20 runs it
// as it is. `tests/smoke/run.ts` (`deno task smoke`) runs it under each
// runtime: Deno imports `mod.ts`, Node and Bun the bundle `dist/denokafka.mjs`
// (`deno task build`).
//
//   node tests/smoke/smoke.mjs <library module> '<config JSON>'
//
// The config (see run.ts) holds the broker addresses, TLS file paths and
// SASL credentials. Prints one line per check ("ok - name (ms)" or
// "not ok - name: error") and ends with "N passed, N failed"; exits 1 when
// a check failed, and must exit by itself (nothing left open).

const [libArg, configArg] = typeof Deno !== "undefined"
  ? Deno.args
  : process.argv.slice(2);
const lib = await import(libArg);
const config = JSON.parse(configArg);
const {
  CompressionType,
  ConfigResourceType,
  KafkaClient,
  NetworkPermissionError,
  SaslAuthenticationError,
} = lib;

const runtime = typeof Deno !== "undefined"
  ? `deno ${Deno.version.deno}`
  : typeof Bun !== "undefined"
  ? `bun ${Bun.version}`
  : `node ${process.versions.node}`;
const enc = new TextEncoder();
const dec = new TextDecoder();
const run = `${Date.now().toString(36)}-${
  Math.random().toString(36).slice(2, 8)
}`;
let passed = 0;
let failed = 0;

function check(cond, what) {
  if (!cond) throw new Error(`check failed: ${what}`);
}

async function test(name, fn) {
  const t = performance.now();
  try {
    await fn();
    passed++;
    console.log(`ok - ${name} (${(performance.now() - t).toFixed(0)} ms)`);
  } catch (e) {
    failed++;
    const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    console.log(`not ok - ${name}: ${text}`);
  }
}

/** Connects, runs `fn(client)`, closes. */
async function withClient(options, fn) {
  const client = await KafkaClient.connect({
    clientId: "denokafka-smoke",
    socketTimeoutMs: 15_000,
    ...options,
  });
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

/** Produces `values` with a sync producer; returns the delivered messages. */
async function produceAll(topic, values, options) {
  const producer = topic.getSyncProducer(options);
  try {
    const out = [];
    for (const v of values) out.push(await producer.produce(enc.encode(v)));
    return out;
  } finally {
    await producer.stop();
  }
}

/** Consumes until `count` messages arrived (or 15 s passed). */
async function consumeN(consumer, count) {
  const got = [];
  const deadline = Date.now() + 15_000;
  while (got.length < count && Date.now() < deadline) {
    const m = await consumer.consume({ timeoutMs: deadline - Date.now() });
    if (m === null) break;
    got.push(m);
  }
  return got;
}

console.log(`# denokafka smoke suite on ${runtime}`);

const plain = { hosts: config.plaintext };

await test("connect and read metadata (Kafka 3.9, 2 brokers)", () =>
  withClient(plain, (client) => {
    check(client.brokers.size === 2, `2 brokers, got ${client.brokers.size}`);
    for (const b of client.brokers.values()) check(b.port > 0, "broker port");
  }));

await test("connect to the KRaft node (Kafka 4.x)", () =>
  withClient({ hosts: config.kraft }, async (client) => {
    const name = `smoke-kraft-${run}`;
    await client.createTopics([{ name, numPartitions: 1 }]);
    try {
      const topic = await client.topics.get(name);
      const [m] = await produceAll(topic, ["kraft"], {});
      check(m.offset === 0, `offset 0, got ${m.offset}`);
    } finally {
      await client.deleteTopics([name]);
    }
  }));

await test("TLS with a CA file (SSL listener)", () =>
  withClient(
    { hosts: config.ssl, sslConfig: { cafile: config.tls.caFile } },
    (client) => check(client.brokers.size === 2, "2 brokers over TLS"),
  ));

await test("mutual TLS with a client certificate (MTLS listener)", () =>
  withClient({
    hosts: config.mtls,
    sslConfig: {
      cafile: config.tls.caFile,
      certfile: config.tls.clientCertFile,
      keyfile: config.tls.clientKeyFile,
    },
  }, (client) => check(client.brokers.size === 2, "2 brokers over mTLS")));

for (const mechanism of ["SCRAM-SHA-256", "SCRAM-SHA-512"]) {
  await test(`SASL ${mechanism} over TLS (SASL_SSL listener)`, () =>
    withClient({
      hosts: config.saslSsl,
      sslConfig: { cafile: config.tls.caFile },
      sasl: { mechanism, ...config.sasl },
    }, (client) => check(client.brokers.size === 2, "2 brokers")));
}

await test("SASL SCRAM with a wrong password fails clearly", async () => {
  try {
    await withClient({
      hosts: config.saslPlaintext,
      sasl: {
        mechanism: "SCRAM-SHA-256",
        username: config.sasl.username,
        password: "wrong",
      },
    }, () => {});
  } catch (e) {
    const inner = e.cause instanceof Error ? e.cause : e;
    check(
      e instanceof SaslAuthenticationError ||
        inner instanceof SaslAuthenticationError ||
        /SaslAuthentication/.test(String(e.message)),
      `SaslAuthenticationError, got ${e}`,
    );
    return;
  }
  throw new Error("connected with a wrong password");
});

await test("produce and consume every codec", () =>
  withClient(plain, async (client) => {
    const name = `smoke-codecs-${run}`;
    await client.createTopics([{ name, numPartitions: 1 }]);
    try {
      const topic = await client.topics.get(name);
      const codecs = ["NONE", "GZIP", "SNAPPY", "LZ4", "ZSTD"];
      const expected = [];
      for (const codec of codecs) {
        const values = Array.from(
          { length: 20 },
          (_, i) => `${codec} record ${i} ${"x".repeat(100)}`,
        );
        const delivered = await produceAll(topic, values, {
          compression: CompressionType[codec],
        });
        check(delivered.length === 20, `${codec}: 20 delivered`);
        expected.push(...values);
      }
      const consumer = topic.getSimpleConsumer({ consumerTimeoutMs: 10_000 });
      try {
        const got = await consumeN(consumer, expected.length);
        check(
          got.length === expected.length,
          `${expected.length} consumed, got ${got.length}`,
        );
        got.forEach((m, i) =>
          check(dec.decode(m.value) === expected[i], `record ${i}`)
        );
      } finally {
        await consumer.stop();
      }
    } finally {
      await client.deleteTopics([name]);
    }
  }));

await test("async producer with delivery reports, keys and headers", () =>
  withClient(plain, async (client) => {
    const name = `smoke-async-${run}`;
    await client.createTopics([{ name, numPartitions: 3 }]);
    try {
      const topic = await client.topics.get(name);
      const producer = topic.getProducer({
        deliveryReports: true,
        compression: CompressionType.LZ4,
      });
      try {
        for (let i = 0; i < 300; i++) {
          await producer.produce(enc.encode(`v${i}`), {
            partitionKey: enc.encode(`k${i % 7}`),
            headers: [["n", enc.encode(String(i))]],
          });
        }
        await producer.flush();
        let reports = 0;
        for (;;) {
          const r = await producer.getDeliveryReport({ block: false });
          if (r === null) break;
          if (r[1]) throw r[1];
          reports++;
        }
        check(reports === 300, `300 delivery reports, got ${reports}`);
      } finally {
        await producer.stop();
      }
      const latest = await topic.latestAvailableOffsets();
      const total = [...latest.values()].reduce((a, b) => a + b, 0);
      check(total === 300, `300 records in the topic, got ${total}`);
    } finally {
      await client.deleteTopics([name]);
    }
  }));

await test("SimpleConsumer in a group: consume, commit, resume", () =>
  withClient(plain, async (client) => {
    const name = `smoke-group-${run}`;
    const group = `${name}-g`;
    await client.createTopics([{ name, numPartitions: 2 }]);
    try {
      const topic = await client.topics.get(name);
      await produceAll(
        topic,
        Array.from({ length: 40 }, (_, i) => `m${i}`),
        {},
      );
      const first = topic.getSimpleConsumer({
        consumerGroup: group,
        consumerTimeoutMs: 10_000,
      });
      try {
        const got = await consumeN(first, 40);
        check(got.length === 40, `40 consumed, got ${got.length}`);
        await first.commitOffsets();
        const committed = await first.fetchOffsets();
        const sum = [...committed.values()].reduce((a, o) => a + o.offset, 0);
        check(sum === 40, `committed offsets sum to 40, got ${sum}`);
      } finally {
        await first.stop();
      }
      await produceAll(topic, ["after"], {});
      const second = topic.getSimpleConsumer({
        consumerGroup: group,
        consumerTimeoutMs: 10_000,
      });
      try {
        const got = await consumeN(second, 1);
        check(
          got.length === 1 && dec.decode(got[0].value) === "after",
          "resumes after the committed offsets",
        );
      } finally {
        await second.stop();
      }
      const lag = await client.consumerGroupLag(group, name);
      check(lag.size === 2, `lag of 2 partitions, got ${lag.size}`);
      await client.deleteGroups([group]);
    } finally {
      await client.deleteTopics([name]);
    }
  }));

await test("admin: topics, partitions, configs, groups", () =>
  withClient(plain, async (client) => {
    const name = `smoke-admin-${run}`;
    const created = await client.createTopics([{
      name,
      numPartitions: 1,
      replicationFactor: 2,
      config: { "retention.ms": "3600000" },
    }]);
    try {
      check(created.length === 1, "one topic created");
      await client.createPartitions([{ topic: name, count: 3 }]);
      await client.updateCluster();
      const topic = await client.topics.get(name);
      check(
        topic.partitions.size === 3,
        `3 partitions, got ${topic.partitions.size}`,
      );
      const [d] = await client.describeConfigs([
        { type: ConfigResourceType.TOPIC, name },
      ]);
      check(
        d.entries.get("retention.ms")?.value === "3600000",
        "retention.ms as created",
      );
      const groups = await client.listGroups();
      check(Array.isArray(groups), "listGroups gives a list");
    } finally {
      await client.deleteTopics([name]);
    }
  }));

await test("a custom transport (the transport option) carries every connection", async () => {
  const network = await import(config.networkModule);
  let opened = 0;
  const transport = (o) => {
    opened++;
    return network.openTransport(o);
  };
  await withClient({ ...plain, transport }, async (client) => {
    await client.listGroups();
  });
  check(opened >= 2, `both brokers through the factory, got ${opened}`);
});

await test("the error classes are exported", () => {
  check(typeof NetworkPermissionError === "function", "NetworkPermissionError");
  check(
    new NetworkPermissionError("::1", 9092).allowNet === "[::1]:9092",
    "allowNet",
  );
});

console.log(`${passed} passed, ${failed} failed`);
// No explicit exit: the process must end by itself once every client is
// closed (a timer or socket left behind would keep it alive, and run.ts
// would report the runtime as failed after its timeout).
if (typeof Deno !== "undefined") Deno.exitCode = failed ? 1 : 0;
else process.exitCode = failed ? 1 : 0;
