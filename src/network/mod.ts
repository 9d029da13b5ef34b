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
 * ```ts ignore
 * import { BrokerConnection } from "./mod.ts";
 * import { Metadata } from "../protocol/mod.ts";
 *
 * await using conn = await BrokerConnection.connect({
 *   host: "127.0.0.1",
 *   port: 9093,
 *   sslConfig: { cafile: "ca.pem" },
 *   sasl: { mechanism: "SCRAM-SHA-512", username: "alice", password: "alice-secret" },
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
