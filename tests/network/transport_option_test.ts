// The `transport` option: a caller's TransportFactory opens every socket of
// a client (here: one that counts, one that injects faults), under the
// connect timeout and the caller's signal; its errors are reported like the
// library's own. The default transports are covered by the rest of the
// suite (Deno's) and by tests/smoke (node:net / node:tls on Node and Bun).
import assert from "node:assert/strict";
import {
  AbortError,
  ConnectionTimeoutError,
  KafkaClient,
  KafkaError,
  NetworkPermissionError,
  SocketDisconnectedError,
} from "../../mod.ts";
import {
  BrokerConnection,
  openTransport,
  type Transport,
  type TransportFactory,
  type TransportOptions,
} from "../../src/network/mod.ts";
import { ApiVersions } from "../../src/protocol/mod.ts";
import { cluster } from "../cluster/mod.ts";

const [host, port] = cluster.address(1, "PLAINTEXT").split(":");

Deno.test("transport option: every connection of a client goes through the factory", async () => {
  const seen: TransportOptions[] = [];
  let bytesRead = 0;
  const transport: TransportFactory = async (o) => {
    seen.push(o);
    const t = await openTransport(o);
    return {
      read: async (into) => {
        const n = await t.read(into);
        if (n !== null) bytesRead += n;
        return n;
      },
      write: (data) => t.write(data),
      close: () => t.close(),
      localAddress: t.localAddress,
      noDelay: t.noDelay,
    } satisfies Transport;
  };
  await using client = await KafkaClient.connect({
    hosts: cluster.bootstrap("kafka39", "PLAINTEXT"),
    transport,
  });
  await client.listGroups(); // a connection to every broker
  const ports = new Set(seen.map((o) => o.port));
  for (const b of client.brokers.values()) assert.ok(ports.has(b.port));
  assert.ok(bytesRead > 0);
  for (const o of seen) {
    assert.equal(o.connectTimeoutMs, 30_000); // socketTimeoutMs
    assert.ok(o.signal instanceof AbortSignal); // aborts on timeout too
  }
});

Deno.test("transport option: a factory's plain error becomes a SocketDisconnectedError naming the address", async () => {
  const err = await BrokerConnection.connect({
    host,
    port: Number(port),
    transport: () => Promise.reject(new Error("tunnel is down")),
  }).then(() => null, (e) => e);
  assert.ok(err instanceof SocketDisconnectedError, String(err));
  assert.match(err.message, new RegExp(`${host}:${port}.*tunnel is down`));
  assert.ok(err.retriable);
});

Deno.test("transport option: a factory's KafkaError passes through, so it can stop retries", async () => {
  const denied = new KafkaError("not through this proxy", { retriable: false });
  let calls = 0;
  const err = await KafkaClient.connect({
    hosts: cluster.address(1, "PLAINTEXT"),
    transport: () => {
      calls++;
      return Promise.reject(denied);
    },
  }).then(() => null, (e) => e);
  assert.ok(err instanceof KafkaError, String(err));
  assert.equal(err.cause, denied);
  assert.equal(calls, 1); // not retried
});

Deno.test("transport option: a factory that never connects times out after connectTimeoutMs", async () => {
  let aborted = false;
  const t0 = Date.now();
  const err = await BrokerConnection.connect({
    host,
    port: Number(port),
    connectTimeoutMs: 300,
    transport: (o) =>
      new Promise<Transport>((_, reject) => {
        o.signal!.addEventListener("abort", () => {
          aborted = true;
          reject(new Error("gave up"));
        });
      }),
  }).then(() => null, (e) => e);
  assert.ok(err instanceof ConnectionTimeoutError, String(err));
  assert.ok(aborted, "the factory's signal aborted");
  assert.ok(Date.now() - t0 < 5000);
});

Deno.test("transport option: the caller's signal aborts a factory that hangs", async () => {
  const controller = new AbortController();
  const p = BrokerConnection.connect({
    host,
    port: Number(port),
    signal: controller.signal,
    transport: (o) =>
      new Promise<Transport>((_, reject) =>
        o.signal!.addEventListener("abort", () => reject(new Error("x")))
      ),
  });
  controller.abort();
  await assert.rejects(p, AbortError);
});

Deno.test("transport option: a raw connection works over the factory's socket", async () => {
  let opened = 0;
  await using conn = await BrokerConnection.connect({
    host,
    port: Number(port),
    transport: (o) => {
      opened++;
      return openTransport(o);
    },
  });
  const res = await conn.send(ApiVersions, {
    clientSoftwareName: "t",
    clientSoftwareVersion: "1",
  });
  assert.equal(res.errorCode, 0);
  assert.equal(opened, 1);
});

Deno.test("transport option: a permission error from a factory is reported as NetworkPermissionError", async () => {
  const err = await BrokerConnection.connect({
    host,
    port: Number(port),
    transport: () =>
      Promise.reject(
        new Deno.errors.NotCapable(
          `Requires net access to "${host}:${port}", run again with the --allow-net flag`,
        ),
      ),
  }).then(() => null, (e) => e);
  assert.ok(err instanceof NetworkPermissionError, String(err));
  assert.equal(err.flag, `--allow-net=${host}:${port}`);
  assert.equal(err.retriable, false);
});
