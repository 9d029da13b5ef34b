/**
 * The network layer: broker connections over the runtime's sockets
 * (`Deno.connect` / `Deno.startTls` on Deno, `node:net` / `node:tls` on Node
 * and Bun, or a {@linkcode TransportFactory} of the caller's) with
 * length-prefixed framing,
 * pipelining by correlation id, per-request timeouts and `AbortSignal`s,
 * coalesced writes, API version negotiation (ApiVersions or fixed tables for
 * Kafka 0.8.2 / 0.9.x), TLS ({@linkcode SslConfig}) and SASL
 * ({@linkcode SaslConfig}: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512), and a
 * reconnecting per-broker wrapper ({@linkcode ManagedConnection}).
 *
 * @example
 * ```ts
 * import { BrokerConnection } from "@denokafka/kafka/network";
 * import { Metadata } from "@denokafka/kafka/protocol";
 *
 * // a SASL_SSL listener, its CA certificate and a SCRAM user
 * const [host, port] = (Deno.env.get("KAFKA_SASL_TLS_HOSTS") ?? "127.0.0.1:9094").split(",")[0].split(":");
 * const cafile = Deno.env.get("KAFKA_TLS_CAFILE") ?? "ca.pem";
 * const username = Deno.env.get("KAFKA_USERNAME") ?? "alice";
 * const password = Deno.env.get("KAFKA_PASSWORD") ?? "alice-secret";
 * await using conn = await BrokerConnection.connect({
 *   host,
 *   port: Number(port),
 *   sslConfig: { cafile },
 *   sasl: { mechanism: "SCRAM-SHA-512", username, password },
 * });
 * const md = await conn.send(Metadata, { topics: null, allowAutoTopicCreation: false });
 * ```
 *
 * @module
 */
// Types of lower layers that this layer's API mentions.
export type { ApiMessage, Reader, Writer } from "../protocol/mod.ts";
export type { KafkaError } from "../errors/mod.ts";
export {
  BrokerConnection,
  type BrokerConnectionOptions,
  CLIENT_SOFTWARE_NAME,
  CLIENT_SOFTWARE_VERSION,
  type ConnectionStats,
  DEFAULT_MAX_FRAME_BYTES,
  type SendOptions,
} from "./connection.ts";
export {
  ManagedConnection,
  type ManagedConnectionOptions,
} from "./managed_connection.ts";
export {
  type ApiVersionSource,
  ApiVersionTable,
  type BrokerVersion,
  compareKafkaVersions,
  isLegacyRelease,
  parseKafkaVersion,
  type VersionedApi,
  type VersionRange,
} from "./api_versions.ts";
export { resolveSslConfig, type SslConfig } from "./ssl_config.ts";
export {
  authenticateSasl,
  type SaslChannel,
  type SaslConfig,
  type SaslMechanism,
  type SaslSession,
} from "./sasl.ts";
export {
  ScramClient,
  type ScramClientOptions,
  type ScramHash,
  type ScramMechanism,
} from "./scram.ts";
export { backoffDelay, type BackoffOptions, sleep } from "./backoff.ts";
export {
  openTransport,
  type ResolvedTls,
  type Transport,
  type TransportFactory,
  type TransportOptions,
} from "./transport.ts";
