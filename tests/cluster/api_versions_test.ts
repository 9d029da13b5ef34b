// The first real test: from Deno, open a connection to every listener of
// every broker of the local cluster and exchange ApiVersions (hand-encoded
// bytes, see probe.ts), asserting the version ranges each broker advertises.
import assert from "node:assert/strict";
import { cluster } from "./mod.ts";
import { probeApiVersions, probeBrokers } from "./probe.ts";
import { probeTarget } from "./manager.ts";

const PRODUCE = 0;
const FETCH = 1;
const API_VERSIONS = 18;

for (const broker of cluster.brokers) {
  for (const listener of broker.listeners) {
    Deno.test(`ApiVersions: broker ${broker.id} (${broker.cluster}) over ${listener.name}`, async () => {
      const versions = await probeApiVersions(await probeTarget(listener));
      const produce = versions.get(PRODUCE);
      const fetch = versions.get(FETCH);
      assert.ok(produce && fetch, "Produce and Fetch are advertised");
      assert.ok(
        versions.get(API_VERSIONS)!.max >= 3,
        "ApiVersions v3+ is served",
      );
      if (broker.cluster === "kafka39") {
        // 3.9 still serves every historic Produce/Fetch version.
        assert.deepEqual(produce, { min: 0, max: 11 });
        assert.deepEqual(fetch, { min: 0, max: 17 });
      } else {
        // 4.x advertises Produce min 0 (KAFKA-18659) but only serves v3+; it
        // removed Fetch v0-3 outright (KIP-896).
        assert.ok(produce.max >= 12, `Produce max ${produce.max}`);
        assert.ok(fetch.min >= 4, `Fetch min ${fetch.min}`);
        assert.ok(fetch.max >= 17, `Fetch max ${fetch.max}`);
      }
    });
  }
}

Deno.test("the Kafka 3.9 cluster has both brokers registered", async () => {
  const [first] = cluster.brokers.filter((b) => b.cluster === "kafka39");
  const plaintext = first.listeners.find((l) => l.name === "PLAINTEXT")!;
  const ids = (await probeBrokers(await probeTarget(plaintext))).map((b) =>
    b.nodeId
  ).sort();
  assert.deepEqual(ids, cluster.brokerIds("kafka39"));
});

Deno.test("an untrusted server CA fails the TLS handshake", async () => {
  const ssl = cluster.brokers[0].listeners.find((l) => l.name === "SSL")!;
  const target = await probeTarget(ssl);
  target.tls!.caCerts = [await Deno.readTextFile(cluster.tls.untrustedCaFile)];
  await assert.rejects(
    probeApiVersions(target),
    /certificate|UnknownIssuer|invalid peer/i,
  );
});
