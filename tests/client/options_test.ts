// One behaviour for bad options everywhere (no broker needed: every check
// runs before any I/O). For each class and factory that takes an options
// object: an unknown name is a TypeError naming the closest known one, a
// wrong type a TypeError, a value out of range a RangeError; the message
// starts with the class (or method) and names the option and the value.
import assert from "node:assert/strict";
import { KafkaError } from "../../src/errors/mod.ts";
import { KafkaClient, Topic } from "../../src/client/mod.ts";
import { Broker, Cluster } from "../../src/cluster/mod.ts";
import {
  BrokerConnection,
  ManagedConnection,
  resolveSslConfig,
} from "../../src/network/mod.ts";
import { Producer } from "../../src/producer/mod.ts";
import { SimpleConsumer } from "../../src/consumer/mod.ts";
import type { KafkaClientOptions } from "../../src/client/mod.ts";
import type {
  ClusterOptions,
  ConnectionSettings,
  TopicGetOptions,
} from "../../src/cluster/mod.ts";
import type {
  BackoffOptions,
  BrokerConnectionOptions,
  ManagedConnectionOptions,
  SaslConfig,
  ScramClientOptions,
  SslConfig,
  TransportOptions,
} from "../../src/network/mod.ts";
import type { ProducerOptions } from "../../src/producer/mod.ts";
import type { SimpleConsumerOptions } from "../../src/consumer/mod.ts";
import type {
  NewPartitions,
  NewTopic,
  TopicOperationOptions,
} from "../../src/admin/mod.ts";
import type {
  BROKER_CONNECTION_RULES,
  MANAGED_CONNECTION_RULES,
  SASL_CONFIG_RULES,
  SCRAM_CLIENT_RULES,
  SSL_CONFIG_RULES,
  TRANSPORT_RULES,
} from "../../src/network/_options.ts";
import type { BACKOFF_OPTION_RULES } from "../../src/util/retry.ts";
import type {
  CLUSTER_OPTION_RULES,
  CONNECTION_SETTINGS_RULES,
  TOPIC_GET_RULES,
} from "../../src/cluster/_options.ts";
import type { PRODUCER_RULES } from "../../src/producer/options.ts";
import type { SIMPLE_CONSUMER_RULES } from "../../src/consumer/options.ts";
import type {
  NEW_PARTITIONS_RULES,
  NEW_TOPIC_RULES,
  TOPIC_OPERATION_RULES,
} from "../../src/admin/_options.ts";

// Each rule table knows exactly the options its interface declares: a new
// option without a rule (or a rule without an option) fails type checking.
type Same<A, B> = [A] extends [B] ? [B] extends [A] ? true : false : false;
const sameKeys: true[] = [
  true as Same<
    keyof KafkaClientOptions,
    Exclude<
      keyof typeof CLUSTER_OPTION_RULES,
      "topicFactory" | "legacyDetection"
    >
  >,
  true as Same<keyof ClusterOptions, keyof typeof CLUSTER_OPTION_RULES>,
  true as Same<
    keyof ConnectionSettings,
    keyof typeof CONNECTION_SETTINGS_RULES
  >,
  true as Same<keyof TopicGetOptions, keyof typeof TOPIC_GET_RULES>,
  true as Same<
    keyof BrokerConnectionOptions,
    keyof typeof BROKER_CONNECTION_RULES
  >,
  true as Same<
    keyof ManagedConnectionOptions,
    keyof typeof MANAGED_CONNECTION_RULES
  >,
  true as Same<keyof TransportOptions, keyof typeof TRANSPORT_RULES>,
  true as Same<keyof ScramClientOptions, keyof typeof SCRAM_CLIENT_RULES>,
  true as Same<keyof SslConfig, keyof typeof SSL_CONFIG_RULES>,
  true as Same<keyof SaslConfig, keyof typeof SASL_CONFIG_RULES>,
  true as Same<keyof BackoffOptions, keyof typeof BACKOFF_OPTION_RULES>,
  true as Same<keyof ProducerOptions, keyof typeof PRODUCER_RULES>,
  true as Same<keyof SimpleConsumerOptions, keyof typeof SIMPLE_CONSUMER_RULES>,
  true as Same<keyof TopicOperationOptions, keyof typeof TOPIC_OPERATION_RULES>,
  true as Same<keyof NewTopic, keyof typeof NEW_TOPIC_RULES>,
  true as Same<keyof NewPartitions, keyof typeof NEW_PARTITIONS_RULES>,
];

Deno.test("options: every rule table names exactly its interface's options (checked by the type checker)", () => {
  assert.equal(sameKeys.length, 16);
});

/** A client (not connected) and a topic object of it, without any I/O. */
function offline(): { client: KafkaClient; topic: Topic } {
  // Nothing listens on port 1; nothing here connects.
  const client = new KafkaClient({ hosts: "127.0.0.1:1" });
  const topic = new Topic(client.cluster as unknown as Cluster, {
    errorCode: 0,
    name: "t",
    partitions: [0, 1].map((i) => ({
      errorCode: 0,
      partitionIndex: i,
      leaderId: -1,
      replicaNodes: [],
      isrNodes: [],
    })),
  });
  return { client, topic };
}

/** The error `fn` throws or rejects with (fails when there is none). */
async function failure(fn: () => unknown): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    assert.ok(e instanceof Error, String(e));
    return e;
  }
  assert.fail("no error");
}

type Case = [owner: string, call: (o: Record<string, unknown>) => unknown];

/** Every public constructor / factory / method with an options object. */
function cases(topic: Topic, client: KafkaClient): Case[] {
  const conn = { host: "127.0.0.1", port: 1 };
  // Made but never started: no I/O, nothing to stop.
  const producer = new Producer(topic, {
    autoStart: false,
    deliveryReports: true,
  });
  return [
    ["KafkaClient", (o) => new KafkaClient(o)],
    ["KafkaClient", (o) => KafkaClient.connect(o)],
    ["Cluster", (o) => new Cluster(o)],
    ["Broker", (o) => new Broker(1, "127.0.0.1", 1, o)],
    ["Producer", (o) => new Producer(topic, { autoStart: false, ...o })],
    ["Producer", (o) => topic.getProducer({ autoStart: false, ...o })],
    ["Producer", (o) => topic.getSyncProducer({ autoStart: false, ...o })],
    [
      "SimpleConsumer",
      (o) => new SimpleConsumer(topic, { autoStart: false, ...o }),
    ],
    [
      "SimpleConsumer",
      (o) => topic.getSimpleConsumer({ autoStart: false, ...o }),
    ],
    ["BrokerConnection", (o) => BrokerConnection.connect({ ...conn, ...o })],
    ["ManagedConnection", (o) => new ManagedConnection({ ...conn, ...o })],
    ["TopicDict.get", (o) => client.topics.get("t", o)],
    ["Producer.getDeliveryReport", (o) => producer.getDeliveryReport(o)],
    ["Producer.flush", (o) => producer.flush(o)],
    ["Admin.createTopics", (o) => client.createTopics([{ name: "t" }], o)],
  ];
}

/** Per owner: [a misspelt name, the name it should suggest]. */
const TYPO: Record<string, [string, string]> = {
  KafkaClient: ["socketTimeoutMS", "socketTimeoutMs"],
  Cluster: ["host", "hosts"],
  Broker: ["clientID", "clientId"],
  Producer: ["linger_ms", "lingerMs"],
  SimpleConsumer: ["consumergroup", "consumerGroup"],
  BrokerConnection: ["conectTimeoutMs", "connectTimeoutMs"],
  ManagedConnection: ["reconectBackoff", "reconnectBackoff"],
  "TopicDict.get": ["autocreate", "autoCreate"],
  "Producer.getDeliveryReport": ["timeOutMs", "timeoutMs"],
  "Producer.flush": ["timeout", "timeoutMs"],
  "Admin.createTopics": ["timeoutMS", "timeoutMs"],
};

/** Per owner: [option, a value of the wrong type, a value out of range]. */
const BAD: Record<string, [string, unknown, unknown]> = {
  KafkaClient: ["socketTimeoutMs", "30000", 0],
  Cluster: ["autoCreateTimeoutMs", true, -1],
  Broker: ["maxFrameBytes", "1 MiB", 0],
  Producer: ["lingerMs", "5", -1],
  SimpleConsumer: ["fetchMinBytes", null, -1],
  BrokerConnection: ["port", "9092", 70000],
  ManagedConnection: ["connectAttempts", 1.5, 0],
  "TopicDict.get": ["timeoutMs", "1s", -5],
  "Producer.getDeliveryReport": ["timeoutMs", "1s", -2],
  "Producer.flush": ["timeoutMs", [], -2],
  "Admin.createTopics": ["timeoutMs", {}, -1],
};

const show = (v: unknown) =>
  typeof v === "string" ? `the string ${JSON.stringify(v)}` : String(v);

Deno.test("options: an unknown name is a TypeError naming the class, the name and the closest known one, everywhere", async () => {
  const { client, topic } = offline();
  for (const [owner, call] of cases(topic, client)) {
    const [typo, meant] = TYPO[owner];
    const e = await failure(() => call({ [typo]: 1 }));
    assert.ok(
      e instanceof TypeError && !(e instanceof KafkaError),
      `${owner}: ${e}`,
    );
    assert.ok(
      e.message.startsWith(
        `${owner}: unknown option "${typo}" (did you mean ${meant}?); known options: `,
      ),
      e.message,
    );
  }
  await client.close();
});

Deno.test("options: a wrong type is a TypeError, a value out of range a RangeError, naming the class, the option and the value, everywhere", async () => {
  const { client, topic } = offline();
  for (const [owner, call] of cases(topic, client)) {
    const [name, wrongType, outOfRange] = BAD[owner];
    const t = await failure(() => call({ [name]: wrongType }));
    assert.ok(t instanceof TypeError, `${owner}: ${t}`);
    assert.match(t.message, new RegExp(`^${owner} option ${name} must be `));
    assert.ok(
      t.message.endsWith(
        `, got ${
          Array.isArray(wrongType)
            ? "an Array of 0 items"
            : typeof wrongType === "object" && wrongType !== null
            ? "an object"
            : show(wrongType)
        }`,
      ),
      t.message,
    );
    const r = await failure(() => call({ [name]: outOfRange }));
    assert.ok(r instanceof RangeError, `${owner}: ${r}`);
    assert.match(r.message, new RegExp(`^${owner} option ${name} must be `));
    assert.ok(r.message.endsWith(`, got ${outOfRange}`), r.message);
  }
  await client.close();
});

Deno.test("options: nested configs (sasl, sslConfig, reconnectBackoff) are checked with the path named, and one catch handles every case", async () => {
  const { client, topic } = offline();
  const conn = { host: "127.0.0.1", port: 1 };
  const bad: [Record<string, unknown>, ErrorConstructor, RegExp][] = [
    [
      { sasl: { mechanism: "GSSAPI", username: "u", password: "p" } },
      RangeError,
      /option sasl\.mechanism must be "PLAIN", "SCRAM-SHA-256" or "SCRAM-SHA-512", got the string "GSSAPI"$/,
    ],
    [
      { sasl: { mechanism: "PLAIN", user: "u", password: "p" } },
      TypeError,
      /: unknown option "sasl\.user" \(did you mean sasl\.username\?\)/,
    ],
    [
      { sasl: { mechanism: "PLAIN", username: "u", password: 1234 } },
      TypeError,
      /option sasl\.password must be a string, got a value of type number$/,
    ],
    [
      { sslConfig: { ca: "not pem" } },
      RangeError,
      /option sslConfig\.ca must be PEM text of CA certificate\(s\)/,
    ],
    [
      { sslConfig: { certfile: "c.pem" } },
      RangeError,
      /option sslConfig: a client certificate needs both cert\/certfile and key\/keyfile/,
    ],
    [
      { reconnectBackoff: { initialMs: 100, jitter: 1.5 } },
      RangeError,
      /option reconnectBackoff\.jitter must be a number from 0 to 1, got 1\.5$/,
    ],
  ];
  const makers: [string, (o: Record<string, unknown>) => unknown][] = [
    ["KafkaClient", (o) => new KafkaClient(o)],
    ["ManagedConnection", (o) => new ManagedConnection({ ...conn, ...o })],
    [
      "BrokerConnection",
      (o) => {
        const { reconnectBackoff: _, ...rest } = o;
        return BrokerConnection.connect({ ...conn, ...rest });
      },
    ],
  ];
  for (const [owner, make] of makers) {
    for (const [options, type, message] of bad) {
      if (owner === "BrokerConnection" && "reconnectBackoff" in options) {
        continue;
      }
      // The one catch a user writes for "I passed a bad option".
      let caught: Error | undefined;
      try {
        await make(options);
      } catch (e) {
        if (e instanceof TypeError || e instanceof RangeError) caught = e;
        else throw e;
      }
      assert.ok(caught instanceof type, `${owner} ${JSON.stringify(options)}`);
      assert.ok(caught.message.startsWith(owner), caught.message);
      assert.match(caught.message, message);
    }
  }
  // The same checks when a TLS config is resolved directly.
  const pem = "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----";
  await assert.rejects(resolveSslConfig({ ca: pem, cafile: "y" }), {
    name: "RangeError",
    message:
      "resolveSslConfig option config: give either ca (PEM text) or cafile (a path), not both",
  });
  // Per-call entries: createTopics checks each NewTopic before any request.
  await assert.rejects(
    client.createTopics([{ name: "a" }, { name: "b", numPartitions: 0 }]),
    {
      name: "RangeError",
      message:
        "Admin.createTopics option topics[1].numPartitions must be an integer from 1 to 2147483647, got 0",
    },
  );
  await assert.rejects(
    client.createTopics([{
      name: "a",
      numPartitions: 2,
      replicaAssignment: [[1], [2]],
    }]),
    (e: unknown) =>
      e instanceof RangeError &&
      /topics\[0\]: give either replicaAssignment or numPartitions/.test(
        e.message,
      ),
  );
  // getSyncProducer forces sync but checks everything else the same way.
  assert.throws(
    () => topic.getSyncProducer(5 as never),
    (e: unknown) =>
      e instanceof TypeError &&
      e.message === "Producer options must be an object, got 5",
  );
  await client.close();
});
