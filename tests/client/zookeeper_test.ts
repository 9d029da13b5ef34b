// Broker discovery through ZooKeeper (the Kafka 3.9 cluster registers
// under the chroot /kafka39): the endpoint matching the client's security
// protocol, chroot handling, and the failure paths.
import assert from "node:assert/strict";
import { NoBrokersAvailableError } from "../../src/errors/mod.ts";
import { KafkaClient } from "../../src/client/mod.ts";
import {
  discoverBrokersFromZookeeper,
  endpointFor,
  securityProtocolOf,
} from "../../src/cluster/mod.ts";
import { cluster } from "../cluster/mod.ts";
import { uniqueName } from "./_helpers.ts";

function addresses(client: KafkaClient): string[] {
  return [...client.brokers.values()].sort((a, b) => a.id - b.id).map((b) =>
    b.address
  );
}

Deno.test("zookeeper: brokers found through zookeeperHosts equal those found through hosts", async () => {
  await using viaHosts = await KafkaClient.connect({
    hosts: cluster.bootstrap("kafka39", "PLAINTEXT"),
  });
  await using viaZk = await KafkaClient.connect({
    zookeeperHosts: cluster.zookeeper,
    // zookeeperHosts takes precedence: this host is never dialled.
    hosts: "127.0.0.1:1",
  });
  assert.deepEqual(addresses(viaZk), addresses(viaHosts));
  assert.deepEqual(addresses(viaZk), [
    cluster.address(1, "PLAINTEXT"),
    cluster.address(2, "PLAINTEXT"),
  ]);
  assert.equal(viaZk.zookeeperHosts, cluster.zookeeper);
  const t = await viaZk.topics.get(uniqueName("zk"));
  assert.ok(t.partitions.get(0)!.hasLeader);
});

Deno.test("zookeeper: the endpoint matching the security protocol (SSL, SASL_SSL, a named listener)", async () => {
  const tls = cluster.tls;
  {
    await using c = await KafkaClient.connect({
      zookeeperHosts: cluster.zookeeper,
      sslConfig: { cafile: tls.caFile },
    });
    assert.deepEqual(addresses(c), [
      cluster.address(1, "SSL"),
      cluster.address(2, "SSL"),
    ]);
  }
  {
    await using c = await KafkaClient.connect({
      zookeeperHosts: cluster.zookeeper,
      sslConfig: { cafile: tls.caFile },
      sasl: { mechanism: "SCRAM-SHA-256", ...cluster.sasl.alice },
    });
    assert.deepEqual(addresses(c), [
      cluster.address(1, "SASL_SSL"),
      cluster.address(2, "SASL_SSL"),
    ]);
  }
  {
    await using c = await KafkaClient.connect({
      zookeeperHosts: cluster.zookeeper,
      zookeeperListenerName: "MTLS",
      sslConfig: {
        cafile: tls.caFile,
        certfile: tls.clientCertFile,
        keyfile: tls.clientKeyFile,
      },
    });
    assert.deepEqual(addresses(c), [
      cluster.address(1, "MTLS"),
      cluster.address(2, "MTLS"),
    ]);
  }
  const found = await discoverBrokersFromZookeeper(cluster.zookeeper, {
    securityProtocol: "SASL_PLAINTEXT",
  });
  assert.deepEqual(found.map((b) => [b.id, b.listener, b.port]), [
    [1, "SASL_PLAINTEXT", 19194],
    [2, "SASL_PLAINTEXT", 19294],
  ]);
});

Deno.test("zookeeper: a wrong chroot and an unreachable ZooKeeper give NoBrokersAvailableError", async () => {
  await assert.rejects(
    discoverBrokersFromZookeeper(`${cluster.zookeeperRoot}/no-such-chroot`, {
      securityProtocol: "PLAINTEXT",
      timeoutMs: 5000,
    }),
    (e: unknown) =>
      e instanceof NoBrokersAvailableError && /\/brokers\/ids/.test(e.message),
  );
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = l.addr.port;
  l.close();
  const started = Date.now();
  await assert.rejects(
    KafkaClient.connect({
      zookeeperHosts: `127.0.0.1:${port}`,
      socketTimeoutMs: 1000,
    }),
    (e: unknown) =>
      e instanceof NoBrokersAvailableError && e.message.includes("ZooKeeper"),
  );
  assert.ok(Date.now() - started < 15_000);
});

Deno.test("zookeeper: endpointFor picks by protocol, by listener name, or explains", () => {
  const reg = {
    host: null,
    port: -1,
    endpoints: [
      "INTERNAL://10.0.0.1:9091",
      "EXTERNAL://[fd00::1]:9093",
      "SSL://b1:9094",
    ],
    listener_security_protocol_map: {
      INTERNAL: "PLAINTEXT",
      EXTERNAL: "SSL",
      SSL: "SSL",
    },
  };
  assert.deepEqual(endpointFor(reg, { securityProtocol: "PLAINTEXT" }), {
    host: "10.0.0.1",
    port: 9091,
    listener: "INTERNAL",
  });
  // Prefer the listener named like the protocol.
  assert.deepEqual(endpointFor(reg, { securityProtocol: "SSL" }), {
    host: "b1",
    port: 9094,
    listener: "SSL",
  });
  assert.deepEqual(
    endpointFor(reg, { securityProtocol: "SSL", listenerName: "EXTERNAL" }),
    { host: "fd00::1", port: 9093, listener: "EXTERNAL" },
  );
  const none = endpointFor(reg, { securityProtocol: "SASL_SSL" });
  assert.equal(typeof none, "string");
  assert.match(none as string, /no SASL_SSL endpoint/);
  // A pre-0.9 registration (host and port only).
  assert.deepEqual(
    endpointFor({ host: "old", port: 9092 }, { securityProtocol: "PLAINTEXT" }),
    { host: "old", port: 9092, listener: "PLAINTEXT" },
  );
  assert.equal(securityProtocolOf(false, true), "SASL_PLAINTEXT");
  assert.equal(securityProtocolOf(true, true), "SASL_SSL");
});
