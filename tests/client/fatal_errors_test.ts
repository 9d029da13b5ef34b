// Fatal errors stay fatal and visible (issue 17): refused SASL credentials,
// a TLS rejection (untrusted broker certificate, missing or untrusted client
// certificate) and an ACL denial reach the caller as themselves —
// `SaslAuthenticationError`, `SslAuthenticationError`, the authorization
// error — not wrapped as `NoBrokersAvailableError`, after each bootstrap host
// was tried exactly once (no further rounds). Against the real SASL, SSL and
// mutual-TLS listeners; the ACL denial against a fake broker (the local
// cluster runs no authorizer).
import assert from "node:assert/strict";
import {
  AuthenticationError,
  KafkaClient,
  type KafkaClientOptions,
  NoBrokersAvailableError,
  SaslAuthenticationError,
  SslAuthenticationError,
  TopicAuthorizationFailedError,
} from "../../mod.ts";
import { openTransport, type TransportFactory } from "../../src/network/mod.ts";
import {
  ApiVersions,
  Metadata,
  type MetadataResponse,
  Writer,
} from "../../src/protocol/mod.ts";
import { cluster } from "../cluster/mod.ts";
import { FakeBroker, type FakePeer } from "../network/_fake_server.ts";

/** A transport that counts the connections opened per address. */
function counting(): {
  transport: TransportFactory;
  opened: Map<string, number>;
} {
  const opened = new Map<string, number>();
  return {
    opened,
    transport: (o) => {
      const a = `${o.host}:${o.port}`;
      opened.set(a, (opened.get(a) ?? 0) + 1);
      return openTransport(o);
    },
  };
}

/** Connects, expecting a rejection; returns the error and how long it took. */
async function refused(
  options: KafkaClientOptions,
): Promise<{ error: Error; ms: number; opened: Map<string, number> }> {
  const { transport, opened } = counting();
  const started = performance.now();
  try {
    const c = await KafkaClient.connect({ ...options, transport });
    await c.close();
  } catch (error) {
    assert.ok(error instanceof Error);
    return { error, ms: performance.now() - started, opened };
  }
  assert.fail("the connection was expected to fail");
}

/** Every listed host was tried exactly once. */
function onceEach(opened: Map<string, number>, hosts: string): void {
  assert.deepEqual(
    [...opened].sort(),
    hosts.split(",").map((h): [string, number] => [h, 1]).sort(),
  );
}

const FAST_MS = 5_000;

for (
  const [name, listener, mechanism] of [
    ["kafka39", "SASL_SSL", "PLAIN"],
    ["kafka39", "SASL_PLAINTEXT", "SCRAM-SHA-512"],
    ["kafka4", "SASL_PLAINTEXT", "SCRAM-SHA-256"],
  ] as const
) {
  Deno.test(`fatal: a wrong ${mechanism} password on ${name} ${listener} is a SaslAuthenticationError, each host tried once`, async () => {
    const hosts = cluster.bootstrap(name, listener);
    const { error, ms, opened } = await refused({
      hosts,
      sasl: { mechanism, username: "alice", password: "not-her-password" },
      ...(listener === "SASL_SSL"
        ? { sslConfig: { cafile: cluster.tls.caFile } }
        : {}),
    });
    assert.ok(error instanceof SaslAuthenticationError, String(error));
    assert.ok(error instanceof AuthenticationError);
    assert.equal(error.retriable, false);
    assert.ok(!(error instanceof NoBrokersAvailableError));
    // The message names the broker that refused.
    assert.match(
      error.message,
      /authentication of "alice" failed: .*127\.0\.0\.1:\d+/,
    );
    onceEach(opened, hosts);
    assert.ok(ms < FAST_MS, `took ${ms} ms`);
  });
}

Deno.test("fatal: a broker certificate from an untrusted CA is an SslAuthenticationError, each host tried once", async () => {
  const hosts = cluster.bootstrap("kafka39", "SSL");
  const { error, ms, opened } = await refused({
    hosts,
    sslConfig: { cafile: cluster.tls.untrustedCaFile },
  });
  assert.ok(error instanceof SslAuthenticationError, String(error));
  assert.ok(error instanceof AuthenticationError && !error.retriable);
  assert.match(error.message, /TLS .*127\.0\.0\.1:\d+.*certificate/i);
  assert.ok(error.cause !== undefined, "the runtime's TLS error as cause");
  onceEach(opened, hosts);
  assert.ok(ms < FAST_MS, `took ${ms} ms`);
});

Deno.test("fatal: mutual TLS without a client certificate, or with an untrusted one, is an SslAuthenticationError", async () => {
  const hosts = cluster.bootstrap("kafka39", "MTLS");
  for (
    const sslConfig of [
      { cafile: cluster.tls.caFile },
      {
        cafile: cluster.tls.caFile,
        certfile: cluster.tls.untrustedClientCertFile,
        keyfile: cluster.tls.untrustedClientKeyFile,
      },
    ]
  ) {
    const { error, ms, opened } = await refused({ hosts, sslConfig });
    assert.ok(error instanceof SslAuthenticationError, String(error));
    assert.match(error.message, /client certificate/);
    onceEach(opened, hosts);
    assert.ok(ms < FAST_MS, `took ${ms} ms`);
  }
});

Deno.test("fatal: one host down and one refusing the password: the refusal is reported", async () => {
  // A port nothing listens on (bound, then released).
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const down = `127.0.0.1:${(l.addr as Deno.NetAddr).port}`;
  l.close();
  const hosts = `${down},${cluster.address(1, "SASL_PLAINTEXT")}`;
  const { error, opened } = await refused({
    hosts,
    sasl: { mechanism: "PLAIN", username: "alice", password: "nope" },
    connectAttempts: 1,
  });
  assert.ok(error instanceof SaslAuthenticationError, String(error));
  onceEach(opened, hosts);
});

Deno.test("fatal: plain connections still retry and end with NoBrokersAvailableError", async () => {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const down = `127.0.0.1:${(l.addr as Deno.NetAddr).port}`;
  l.close();
  const { error, opened } = await refused({ hosts: down });
  assert.ok(error instanceof NoBrokersAvailableError, String(error));
  assert.ok((opened.get(down) ?? 0) > 1, "several bootstrap rounds");
});

Deno.test("fatal: an ACL denial of a topic is thrown at once, not retried", async () => {
  let metadataRequests = 0;
  const body = (f: (w: Writer) => void) => {
    const w = new Writer();
    f(w);
    return w.finish();
  };
  let md: MetadataResponse = { brokers: [], topics: [], controllerId: 1 };
  await using fake = new FakeBroker(async (peer: FakePeer) => {
    for (;;) {
      const req = await peer.readRequest();
      if (req === null) return;
      if (req.apiKey === ApiVersions.apiKey) {
        await peer.respond(
          req.correlationId,
          body((w) =>
            ApiVersions.encodeResponse(w, 0, {
              errorCode: req.apiVersion === 0 ? 0 : 35,
              apiKeys: [
                { apiKey: 3, minVersion: 0, maxVersion: 1 },
                { apiKey: 18, minVersion: 0, maxVersion: 0 },
              ],
            })
          ),
        );
      } else if (req.apiKey === Metadata.apiKey) {
        metadataRequests++;
        await peer.respond(
          req.correlationId,
          body((w) => Metadata.encodeResponse(w, req.apiVersion, md)),
        );
      } else return;
    }
  });
  md = {
    brokers: [{ nodeId: 1, host: "127.0.0.1", port: fake.port, rack: null }],
    controllerId: 1,
    topics: [{
      errorCode: 29, // TOPIC_AUTHORIZATION_FAILED
      name: "secret-topic",
      isInternal: false,
      partitions: [],
    }],
  };
  await using client = await KafkaClient.connect({
    hosts: `127.0.0.1:${fake.port}`,
    metadataRefreshIntervalMs: 0,
  });
  const before = metadataRequests;
  await assert.rejects(
    client.topics.get("secret-topic"),
    TopicAuthorizationFailedError,
  );
  assert.equal(metadataRequests - before, 1, "asked once");
});
