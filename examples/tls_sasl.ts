/**
 * TLS and SASL SCRAM: every connection of the client is encrypted (the
 * broker's certificate is checked against the CA file and the host name)
 * and authenticated. The password comes from the environment, so the
 * program needs `--allow-env` for that one variable, and `--allow-read` for
 * the CA file only.
 *
 * ```sh
 * KAFKA_PASSWORD=alice-secret deno run --allow-net=127.0.0.1 \
 *   --allow-read=ca.pem --allow-env=KAFKA_PASSWORD \
 *   examples/tls_sasl.ts 127.0.0.1:19195 ca.pem alice SCRAM-SHA-512
 * ```
 *
 * @module
 */
import { KafkaClient, type SaslMechanism } from "../mod.ts";

const [hosts, cafile, username, mechanism = "SCRAM-SHA-512"] = Deno.args;
if (!hosts || !cafile || !username) {
  console.error(
    "usage: tls_sasl.ts <hosts> <CA file> <username> [PLAIN|SCRAM-SHA-256|SCRAM-SHA-512]",
  );
  Deno.exit(2);
}
const password = Deno.env.get("KAFKA_PASSWORD") ?? "";

await using client = await KafkaClient.connect({
  hosts,
  sslConfig: { cafile }, // add certfile/keyfile for brokers that want client certificates
  sasl: { mechanism: mechanism as SaslMechanism, username, password },
});
console.log(
  `connected over TLS as ${username} (${mechanism}) to ${client.brokers.size} broker(s)`,
);
const name = `example-tls-${crypto.randomUUID().slice(0, 8)}`;
await client.createTopics([{ name, numPartitions: 1 }]);
try {
  const topic = await client.topics.get(name);
  await using producer = topic.getSyncProducer();
  const m = await producer.produce(new TextEncoder().encode("secret"));
  console.log(`produced over TLS + SASL at offset ${m.offset}`);
} finally {
  await client.deleteTopics([name]);
}
