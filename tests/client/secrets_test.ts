// Secrets stay secret (issue 17): a SASL password, a TLS private key (as PEM
// text or decrypted from a file) and its passphrase are not reachable through
// the public properties of anything reachable from a client (client, options,
// cluster, connection settings, brokers, connections, topics, partitions,
// producer, consumer, admin), nor shown by any way of printing them
// (`JSON.stringify`, `String`, `Deno.inspect` and Node's `util.inspect` with
// hidden properties and getters), nor by the errors of a wrong password or a
// bad key. Against the real SASL_SSL and mutual-TLS listeners.
import assert from "node:assert/strict";
import util from "node:util";
import {
  KafkaClient,
  type KafkaClientOptions,
  KafkaError,
  SaslAuthenticationError,
} from "../../mod.ts";
import { cluster } from "../cluster/mod.ts";
import { uniqueName } from "./_helpers.ts";

const enc = new TextEncoder();
const SASL_PASSWORD = cluster.sasl.alice.password;
const KEY_PASSWORD = cluster.tlsKeyPassword;

/** A line from the middle of the client key's base64 body: proof the key leaked. */
async function keyNeedles(): Promise<string[]> {
  const pem = await Deno.readTextFile(cluster.tls.clientKeyFile);
  const body = pem.split("\n").filter((l) => l && !l.startsWith("-----"));
  assert.ok(body.length >= 3);
  return [body[1], body[body.length - 2]];
}

/** Every string reachable through properties and getters (no calls). */
function reachableStrings(root: unknown, maxDepth = 7): string[] {
  const out: string[] = [];
  const seen = new Set<unknown>();
  const visit = (v: unknown, depth: number) => {
    if (typeof v === "string") {
      out.push(v);
      return;
    }
    if (v === null || typeof v !== "object" || seen.has(v)) return;
    if (depth > maxDepth || ArrayBuffer.isView(v)) return;
    seen.add(v);
    if (v instanceof Map) {
      for (const [k, x] of v) {
        visit(k, depth + 1);
        visit(x, depth + 1);
      }
    } else if (v instanceof Set || Array.isArray(v)) {
      for (const x of v) visit(x, depth + 1);
    }
    if (v instanceof Error) {
      out.push(v.message, v.stack ?? "");
      visit(v.cause, depth + 1);
    }
    const names = new Set<string | symbol>();
    for (
      let o: object | null = v;
      o && o !== Object.prototype;
      o = Object.getPrototypeOf(o)
    ) {
      for (const k of Reflect.ownKeys(o)) names.add(k);
    }
    for (const k of names) {
      // Stream getters create streams; nothing secret behind them.
      if (k === "constructor" || k === "readable" || k === "writable") {
        continue;
      }
      let x: unknown;
      try {
        x = (v as Record<string | symbol, unknown>)[k];
      } catch {
        continue;
      }
      if (typeof x !== "function") visit(x, depth + 1);
    }
  };
  visit(root, 0);
  return out;
}

/** Every printed form of `v`. */
function printed(v: unknown): Record<string, string> {
  const seen = new WeakSet();
  return {
    json: JSON.stringify(v, (_k, x) => {
      if (typeof x === "bigint") return String(x);
      if (x !== null && typeof x === "object") {
        if (seen.has(x)) return "[cycle]";
        seen.add(x);
      }
      return x;
    }) ?? "",
    string: (() => {
      try {
        return String(v);
      } catch {
        return "";
      }
    })(),
    denoInspect: Deno.inspect(v, {
      depth: 8,
      showHidden: true,
      getters: true,
      colors: false,
      iterableLimit: 1000,
      strAbbreviateSize: 1_000_000,
    }),
    nodeInspect: util.inspect(v, {
      depth: 8,
      showHidden: true,
      getters: true,
      maxArrayLength: 1000,
      maxStringLength: null,
    }),
  };
}

function assertNoSecret(
  label: string,
  v: unknown,
  needles: readonly string[],
): void {
  for (const [how, text] of Object.entries(printed(v))) {
    for (const n of needles) {
      assert.ok(!text.includes(n), `${label}: ${how} shows a secret`);
    }
  }
  for (const s of reachableStrings(v)) {
    for (const n of needles) {
      assert.ok(!s.includes(n), `${label}: a property holds a secret`);
    }
  }
}

interface Case {
  name: string;
  options: () => Promise<KafkaClientOptions>;
}

const CASES: Case[] = [
  {
    name: "SASL_SSL with SCRAM-SHA-512",
    options: () =>
      Promise.resolve({
        hosts: cluster.bootstrap("kafka39", "SASL_SSL"),
        sslConfig: { cafile: cluster.tls.caFile },
        sasl: { mechanism: "SCRAM-SHA-512", ...cluster.sasl.alice },
      }),
  },
  {
    name: "SASL_PLAINTEXT with PLAIN",
    options: () =>
      Promise.resolve({
        hosts: cluster.bootstrap("kafka39", "SASL_PLAINTEXT"),
        sasl: { mechanism: "PLAIN", ...cluster.sasl.alice },
      }),
  },
  {
    name: "mutual TLS with the private key as PEM text",
    options: async () => ({
      hosts: cluster.bootstrap("kafka39", "MTLS"),
      sslConfig: {
        ca: await Deno.readTextFile(cluster.tls.caFile),
        cert: await Deno.readTextFile(cluster.tls.clientCertFile),
        key: await Deno.readTextFile(cluster.tls.clientKeyFile),
      },
    }),
  },
  {
    name: "mutual TLS with an encrypted key file and its passphrase",
    options: () =>
      Promise.resolve({
        hosts: cluster.bootstrap("kafka39", "MTLS"),
        sslConfig: {
          cafile: cluster.tls.caFile,
          certfile: cluster.tls.clientCertFile,
          keyfile: cluster.tls.clientEncryptedKeyFile,
          password: KEY_PASSWORD,
        },
      }),
  },
];

for (const c of CASES) {
  Deno.test(`secrets: ${c.name}: no way of printing or reading shows them`, async () => {
    const needles = [SASL_PASSWORD, KEY_PASSWORD, ...(await keyNeedles())];
    const options = await c.options();
    await using client = await KafkaClient.connect(options);
    const topic = await client.topics.get(uniqueName("secrets"));
    await using producer = topic.getProducer({ deliveryReports: true });
    await producer.produce(enc.encode("hello"), { partition: 0 });
    await producer.flush();
    await using consumer = topic.getSimpleConsumer({
      consumerGroup: uniqueName("secrets-g"),
      consumerTimeoutMs: 10_000,
    });
    const m = await consumer.consume({ timeoutMs: 10_000 });
    assert.equal(new TextDecoder().decode(m!.value!), "hello");
    await consumer.commitOffsets();

    // The secrets are in use: the options show that they are set.
    if (options.sasl) {
      assert.equal(client.options.sasl?.password, "[redacted]");
      assert.equal(
        client.cluster.connectionSettings.sasl?.password,
        "[redacted]",
      );
      assert.equal(client.options.sasl?.username, "alice");
    }
    if (options.sslConfig?.key) {
      assert.equal(client.options.sslConfig?.key, "[redacted]");
    }
    if (options.sslConfig?.password) {
      assert.equal(
        client.cluster.connectionSettings.sslConfig?.password,
        "[redacted]",
      );
    }
    // The caller's own options object is left as it was.
    assert.equal(options.sasl?.password, options.sasl && SASL_PASSWORD);

    const connections = await Promise.all(
      [...client.brokers.values()].map((b) => b.connect()),
    );
    const objects: [string, unknown][] = [
      ["client", client],
      ["client.options", client.options],
      ["cluster", client.cluster],
      ["connectionSettings", client.cluster.connectionSettings],
      ["brokers", client.brokers],
      ...[...client.brokers.values()].map((b): [string, unknown] => [
        `broker ${b.id}`,
        b,
      ]),
      ...connections.map((conn, i): [string, unknown] => [
        `connection ${i}`,
        conn,
      ]),
      ["topics", client.topics],
      ["topic", topic],
      ["partition", topic.partitions.get(0)],
      ["producer", producer],
      ["consumer", consumer],
      ["admin", client.admin],
    ];
    for (const [label, v] of objects) assertNoSecret(label, v, needles);
  });
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof Error);
    return e;
  }
  assert.fail("expected a rejection");
}

for (const mechanism of ["PLAIN", "SCRAM-SHA-256"] as const) {
  Deno.test(`secrets: a wrong ${mechanism} password is not in the error`, async () => {
    const wrong = `wrong-${crypto.randomUUID()}`;
    const e = await rejection(KafkaClient.connect({
      hosts: cluster.bootstrap("kafka39", "SASL_PLAINTEXT"),
      sasl: { mechanism, username: "alice", password: wrong },
    }));
    assert.ok(e instanceof SaslAuthenticationError, String(e));
    assertNoSecret("the error", e, [wrong, SASL_PASSWORD]);
  });
}

Deno.test("secrets: a wrong key passphrase and a bad key are not in the errors", async () => {
  const wrong = `wrong-${crypto.randomUUID()}`;
  const e1 = await rejection(KafkaClient.connect({
    hosts: cluster.bootstrap("kafka39", "MTLS"),
    sslConfig: {
      cafile: cluster.tls.caFile,
      certfile: cluster.tls.clientCertFile,
      keyfile: cluster.tls.clientEncryptedKeyFile,
      password: wrong,
    },
  }));
  assert.ok(e1 instanceof KafkaError, String(e1));
  assertNoSecret("wrong passphrase", e1, [wrong, KEY_PASSWORD]);

  // A PEM block whose body is not a key: the TLS layer refuses it.
  const body = btoa(`secret-key-material-${crypto.randomUUID()}`);
  const bad =
    `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`;
  const e2 = await rejection(KafkaClient.connect({
    hosts: cluster.bootstrap("kafka39", "MTLS"),
    sslConfig: {
      cafile: cluster.tls.caFile,
      certfile: cluster.tls.clientCertFile,
      key: bad,
    },
  }));
  assertNoSecret("bad key", e2, [body, ...(await keyNeedles())]);

  // Not PEM at all: the option check names the option, never the value.
  const text = `not-a-key-${crypto.randomUUID()}`;
  let e3: unknown;
  try {
    new KafkaClient({
      hosts: cluster.bootstrap("kafka39", "MTLS"),
      sslConfig: { certfile: cluster.tls.clientCertFile, key: text },
    });
  } catch (e) {
    e3 = e;
  }
  assert.ok(e3 instanceof TypeError || e3 instanceof RangeError, String(e3));
  assert.match((e3 as Error).message, /sslConfig\.key/);
  assertNoSecret("key option", e3, [text]);
});
