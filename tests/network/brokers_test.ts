// The connection layer against the real local cluster (Kafka 3.9.1 brokers
// 1 and 2, Kafka 4.x node 101): ApiVersions negotiation and Metadata over
// every listener kind, every SASL mechanism, mTLS (plain and encrypted key),
// the legacy 0.9.0 table, pipelining, and the negative cases.
import assert from "node:assert/strict";
import {
  FrameTooLargeError,
  SaslAuthenticationError,
  SslAuthenticationError,
} from "../../src/errors/mod.ts";
import { Metadata, type MetadataRequest } from "../../src/protocol/mod.ts";
import {
  BrokerConnection,
  type BrokerConnectionOptions,
} from "../../src/network/connection.ts";
import type { SaslMechanism } from "../../src/network/sasl.ts";
import type { SslConfig } from "../../src/network/ssl_config.ts";
import {
  cluster,
  type ClusterName,
  type ListenerName,
} from "../cluster/mod.ts";
import { TcpProxy } from "./_fake_server.ts";

/** A Metadata request for all topics (v0: empty list; v1+: null), or for the named ones. */
function metadataRequest(version: number, topics?: string[]): MetadataRequest {
  return {
    topics: topics?.map((name) => ({ name })) ?? (version === 0 ? [] : null),
    // v0-3 have no such field (and always auto-create named topics).
    ...(version >= 4 ? { allowAutoTopicCreation: false } : {}),
  };
}

function where(brokerId: number, listener: ListenerName) {
  const [host, port] = cluster.address(brokerId, listener).split(":");
  return { host, port: Number(port), nodeId: brokerId };
}

async function connectTo(
  brokerId: number,
  listener: ListenerName,
  extra: Partial<BrokerConnectionOptions> = {},
): Promise<BrokerConnection> {
  return await BrokerConnection.connect({
    ...where(brokerId, listener),
    socketTimeoutMs: 20_000,
    ...extra,
  });
}

/** Sends Metadata at the negotiated version and checks the broker list. */
async function assertMetadata(
  conn: BrokerConnection,
  clusterName: ClusterName,
): Promise<number> {
  const version = conn.versions.pick(Metadata);
  const md = await conn.send(Metadata, metadataRequest(version));
  const ids = md.brokers.map((b) => b.nodeId).sort((a, b) => a - b);
  assert.deepEqual(ids, cluster.brokerIds(clusterName));
  for (const b of md.brokers) assert.equal(b.host, "127.0.0.1");
  return version;
}

const tls: () => SslConfig = () => ({ cafile: cluster.tls.caFile });
const clusterOf = (id: number): ClusterName => id >= 100 ? "kafka4" : "kafka39";
const MECHANISMS: SaslMechanism[] = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"];
const alice = cluster.sasl.alice;

for (const id of [1, 2, 101]) {
  const name = clusterOf(id);
  Deno.test(`broker ${id} (${name}) PLAINTEXT: ApiVersions negotiation and Metadata`, async () => {
    await using conn = await connectTo(id, "PLAINTEXT");
    assert.equal(conn.versions.source, "broker");
    assert.ok(conn.versions.range(18)!.max >= 3, "ApiVersions v3+ served");
    const mdVersion = await assertMetadata(conn, name);
    assert.equal(
      mdVersion,
      Math.min(Metadata.maxVersion, name === "kafka4" ? 13 : 12),
    );
    const produce = conn.versions.range(0)!;
    if (name === "kafka4") {
      assert.equal(
        produce.min,
        3,
        "4.x advertises Produce min 0 but v0-2 are refused",
      );
      assert.ok(conn.versions.range(1)!.min >= 4);
    } else {
      assert.deepEqual(produce, { min: 0, max: 11 });
    }
  });

  Deno.test(`broker ${id} (${name}) SSL: TLS with the cluster CA, host name verified`, async () => {
    await using conn = await connectTo(id, "SSL", { sslConfig: tls() });
    await assertMetadata(conn, name);
  });

  for (const mechanism of MECHANISMS) {
    Deno.test(`broker ${id} (${name}) SASL_PLAINTEXT ${mechanism}`, async () => {
      await using conn = await connectTo(id, "SASL_PLAINTEXT", {
        sasl: { mechanism, ...alice },
      });
      assert.equal(conn.saslSession?.mechanism, mechanism);
      assert.equal(conn.saslSession?.authenticateApi, true);
      await assertMetadata(conn, name);
    });
  }

  Deno.test(`broker ${id} (${name}) SASL: a wrong password gives SaslAuthenticationError with the broker's message`, async () => {
    for (const mechanism of MECHANISMS) {
      await assert.rejects(
        connectTo(id, "SASL_PLAINTEXT", {
          sasl: { mechanism, username: alice.username, password: "wrong" },
        }),
        (e) => {
          assert.ok(e instanceof SaslAuthenticationError, `${mechanism}: ${e}`);
          assert.equal(e.code, 58);
          assert.match(
            e.message,
            /authentication of "alice" failed: .*(Authentication failed|invalid credentials)/i,
          );
          return true;
        },
      );
    }
  });
}

for (const mechanism of MECHANISMS) {
  Deno.test(`broker 1 SASL_SSL ${mechanism}`, async () => {
    await using conn = await connectTo(1, "SASL_SSL", {
      sslConfig: tls(),
      sasl: { mechanism, ...alice },
    });
    await assertMetadata(conn, "kafka39");
  });
}

Deno.test("broker 2 SASL_SSL SCRAM-SHA-512 with PEM text instead of file paths", async () => {
  await using conn = await connectTo(2, "SASL_SSL", {
    sslConfig: { ca: await Deno.readTextFile(cluster.tls.caFile) },
    sasl: { mechanism: "SCRAM-SHA-512", ...alice },
  });
  await assertMetadata(conn, "kafka39");
});

Deno.test("legacy SaslHandshake v0 framing (raw tokens) with brokerVersion 0.10.2, PLAIN and SCRAM", async () => {
  for (const mechanism of MECHANISMS) {
    await using conn = await connectTo(1, "SASL_PLAINTEXT", {
      brokerVersion: "0.10.2",
      sasl: { mechanism, ...alice },
    });
    assert.equal(conn.saslSession?.authenticateApi, false, mechanism);
    assert.equal(conn.versions.range(36), undefined);
    assert.equal(
      await assertMetadata(conn, "kafka39"),
      Math.min(2, Metadata.maxVersion),
    );
  }
  await assert.rejects(
    connectTo(1, "SASL_PLAINTEXT", {
      brokerVersion: "0.10.2",
      sasl: {
        mechanism: "SCRAM-SHA-256",
        username: "alice",
        password: "wrong",
      },
    }),
    (e) =>
      e instanceof SaslAuthenticationError &&
      /closed the connection/.test(e.message),
  );
});

for (const id of [1, 2]) {
  Deno.test(`broker ${id} MTLS: client certificate from files`, async () => {
    await using conn = await connectTo(id, "MTLS", {
      sslConfig: {
        cafile: cluster.tls.caFile,
        certfile: cluster.tls.clientCertFile,
        keyfile: cluster.tls.clientKeyFile,
      },
    });
    await assertMetadata(conn, "kafka39");
  });
}

Deno.test("broker 1 MTLS: an encrypted client key is decrypted with the password (WebCrypto PBES2)", async () => {
  await using conn = await connectTo(1, "MTLS", {
    sslConfig: {
      cafile: cluster.tls.caFile,
      certfile: cluster.tls.clientCertFile,
      keyfile: cluster.tls.clientEncryptedKeyFile,
      password: cluster.tlsKeyPassword,
    },
  });
  await assertMetadata(conn, "kafka39");
  await assert.rejects(
    connectTo(1, "MTLS", {
      sslConfig: {
        cafile: cluster.tls.caFile,
        certfile: cluster.tls.clientCertFile,
        keyfile: cluster.tls.clientEncryptedKeyFile,
      },
    }),
    /encrypted; set sslConfig.password/,
  );
});

Deno.test("MTLS: both socket paths (node:tls with TCP_NODELAY by default, Deno.connectTls with noDelay: false)", async () => {
  const sslConfig: SslConfig = {
    cafile: cluster.tls.caFile,
    certfile: cluster.tls.clientCertFile,
    keyfile: cluster.tls.clientKeyFile,
  };
  for (const noDelay of [true, false]) {
    await using conn = await connectTo(1, "MTLS", { sslConfig, noDelay });
    await assertMetadata(conn, "kafka39");
  }
  await assert.rejects(
    connectTo(2, "MTLS", {
      noDelay: false,
      sslConfig: { ...sslConfig, cafile: cluster.tls.untrustedCaFile },
    }),
    (e) =>
      e instanceof SslAuthenticationError &&
      /TLS handshake .* failed/.test(e.message),
  );
});

Deno.test("MTLS: host name verification on the node:tls path too", async () => {
  const { port } = where(2, "MTLS");
  await using relay = new TcpProxy("127.0.0.2", {
    hostname: "127.0.0.1",
    port,
  });
  const sslConfig: SslConfig = {
    cafile: cluster.tls.caFile,
    certfile: cluster.tls.clientCertFile,
    keyfile: cluster.tls.clientKeyFile,
  };
  await assert.rejects(
    BrokerConnection.connect({
      host: "127.0.0.2",
      port: relay.port,
      sslConfig,
    }),
    (e) => {
      assert.ok(e instanceof SslAuthenticationError, String(e));
      assert.match(e.message, /127\.0\.0\.2|altnames|not valid/i);
      return true;
    },
  );
  await using conn = await BrokerConnection.connect({
    host: "127.0.0.2",
    port: relay.port,
    sslConfig: { ...sslConfig, checkHostname: false },
  });
  await assertMetadata(conn, "kafka39");
});

Deno.test("broker 2 MTLS: PEM text for CA, certificate and key", async () => {
  await using conn = await connectTo(2, "MTLS", {
    sslConfig: {
      ca: await Deno.readTextFile(cluster.tls.caFile),
      cert: await Deno.readTextFile(cluster.tls.clientCertFile),
      key: await Deno.readTextFile(cluster.tls.clientKeyFile),
    },
  });
  await assertMetadata(conn, "kafka39");
});

Deno.test("MTLS: a client certificate from an untrusted CA is rejected by the broker", async () => {
  await assert.rejects(
    connectTo(1, "MTLS", {
      sslConfig: {
        cafile: cluster.tls.caFile,
        certfile: cluster.tls.untrustedClientCertFile,
        keyfile: cluster.tls.untrustedClientKeyFile,
      },
    }),
    (e) => {
      assert.ok(e instanceof SslAuthenticationError, String(e));
      assert.match(e.message, /alert|certificate|closed/i);
      return true;
    },
  );
  // And no certificate at all.
  await assert.rejects(
    connectTo(1, "MTLS", { sslConfig: tls() }),
    SslAuthenticationError,
  );
});

Deno.test("SSL: a server certificate from an untrusted CA is rejected", async () => {
  for (const id of [1, 101]) {
    await assert.rejects(
      connectTo(id, "SSL", {
        sslConfig: { cafile: cluster.tls.untrustedCaFile },
      }),
      (e) => {
        assert.ok(e instanceof SslAuthenticationError, String(e));
        assert.match(
          e.message,
          /TLS handshake .* failed: .*(UnknownIssuer|certificate)/i,
        );
        return true;
      },
    );
  }
});

Deno.test("SSL: host name verification is on by default, checkHostname: false turns it off", async () => {
  // The broker certificate names 127.0.0.1 and localhost. A relay on
  // 127.0.0.2 makes the client dial (and verify) a name it does not list.
  const { port } = where(1, "SSL");
  await using relay = new TcpProxy("127.0.0.2", {
    hostname: "127.0.0.1",
    port,
  });
  await assert.rejects(
    BrokerConnection.connect({
      host: "127.0.0.2",
      port: relay.port,
      sslConfig: tls(),
    }),
    (e) => {
      assert.ok(e instanceof SslAuthenticationError, String(e));
      assert.match(e.message, /not valid for name "127\.0\.0\.2"/);
      return true;
    },
  );
  await using conn = await BrokerConnection.connect({
    host: "127.0.0.2",
    port: relay.port,
    sslConfig: { ...tls(), checkHostname: false },
  });
  await assertMetadata(conn, "kafka39");
  await using byName = await BrokerConnection.connect({
    host: "localhost",
    port,
    sslConfig: tls(),
  });
  await assertMetadata(byName, "kafka39");
});

Deno.test("SSL listener spoken to without sslConfig: a clear error, no hang", async () => {
  await assert.rejects(
    connectTo(1, "SSL", { apiVersionsTimeoutMs: 5000, socketTimeoutMs: 5000 }),
    (e) =>
      e instanceof FrameTooLargeError &&
      /SSL listener\? Set sslConfig/.test(e.message),
  );
});

Deno.test("legacy table mode: brokerVersion 0.9.0 against Kafka 3.9 sends no ApiVersions, Metadata v0 works", async () => {
  await using conn = await connectTo(1, "PLAINTEXT", {
    brokerVersion: "0.9.0",
  });
  assert.equal(conn.versions.source, "release-table");
  assert.equal(conn.versions.release, "0.9.0");
  assert.equal(conn.stats.requests, 0, "no ApiVersions was sent");
  assert.equal(await assertMetadata(conn, "kafka39"), 0);
  assert.equal(conn.stats.requests, 1);
});

Deno.test("an explicit release >= 0.10 caps the negotiated versions (2.0.0: Metadata v6)", async () => {
  await using conn = await connectTo(2, "PLAINTEXT", {
    brokerVersion: "2.0.0",
  });
  assert.equal(conn.versions.source, "broker");
  assert.equal(
    await assertMetadata(conn, "kafka39"),
    Math.min(6, Metadata.maxVersion),
  );
});

Deno.test("sourceAddress against a real broker, over TLS too", async () => {
  await using conn = await connectTo(1, "PLAINTEXT", {
    sourceAddress: "127.0.0.3:0",
  });
  assert.match(conn.localAddress!, /^127\.0\.0\.3:/);
  await assertMetadata(conn, "kafka39");
  await using tlsConn = await connectTo(101, "SSL", {
    sourceAddress: "127.0.0.3",
    sslConfig: tls(),
  });
  assert.match(tlsConn.localAddress!, /^127\.0\.0\.3:/);
  await assertMetadata(tlsConn, "kafka4");
  await assert.rejects(
    connectTo(101, "SSL", {
      sourceAddress: "127.0.0.3",
      sslConfig: { cafile: cluster.tls.untrustedCaFile },
    }),
    SslAuthenticationError,
  );
  await using mtls = await connectTo(2, "MTLS", {
    sourceAddress: "127.0.0.3:0",
    sslConfig: {
      cafile: cluster.tls.caFile,
      certfile: cluster.tls.clientCertFile,
      keyfile: cluster.tls.clientEncryptedKeyFile,
      password: cluster.tlsKeyPassword,
    },
  });
  assert.match(mtls.localAddress!, /^127\.0\.0\.3:/);
  await assertMetadata(mtls, "kafka39");
});

for (const id of [1, 101]) {
  Deno.test(`broker ${id}: 500 pipelined requests on one connection each get their own response`, async () => {
    await using conn = await connectTo(id, "PLAINTEXT");
    const version = conn.versions.pick(Metadata);
    const suffix = crypto.randomUUID().slice(0, 8);
    const names = Array.from(
      { length: 500 },
      (_, i) => `dk-net-pipe-${suffix}-${i}`,
    );
    const responses = await Promise.all(
      names.map((n) => conn.send(Metadata, metadataRequest(version, [n]))),
    );
    responses.forEach((md, i) => {
      assert.equal(md.topics.length, 1);
      assert.equal(
        md.topics[0].name,
        names[i],
        "response matched to its request",
      );
      assert.equal(
        md.topics[0].errorCode,
        3,
        "UNKNOWN_TOPIC_OR_PARTITION (no auto-create)",
      );
    });
    assert.ok(
      conn.stats.writes < 50,
      `coalesced: ${conn.stats.writes} writes for 500 requests`,
    );
  });
}
