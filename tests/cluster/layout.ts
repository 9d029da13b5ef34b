/**
 * The fixed layout of the local test cluster: versions, ports, users and
 * paths. Everything binds to 127.0.0.1 on the ports below.
 *
 * | process                         | listener        | port  |
 * | ------------------------------- | --------------- | ----- |
 * | ZooKeeper (for Kafka 3.9)       | client          | 19181 |
 * | Kafka 3.9 broker 1 (ZooKeeper)  | PLAINTEXT       | 19192 |
 * |                                 | SSL             | 19193 |
 * |                                 | SASL_PLAINTEXT  | 19194 |
 * |                                 | SASL_SSL        | 19195 |
 * |                                 | MTLS (SSL, client certificate required) | 19196 |
 * | Kafka 3.9 broker 2 (ZooKeeper)  | same, +100      | 19292-19296 |
 * | Kafka 4.x broker 101 (KRaft)    | PLAINTEXT       | 19392 |
 * |                                 | SSL             | 19393 |
 * |                                 | SASL_PLAINTEXT  | 19394 |
 * |                                 | CONTROLLER (internal) | 19399 |
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { homedir } from "node:os";

/** Kafka versions the cluster runs. Keep in step with the POMs beside this file. */
export const KAFKA_39_VERSION = "3.9.1";
/** The newest Kafka 4.x release resolvable from Maven Central. */
export const KAFKA_4_VERSION = "4.4.0";

/** Security protocols a listener can speak. */
export type SecurityProtocol =
  | "PLAINTEXT"
  | "SSL"
  | "SASL_PLAINTEXT"
  | "SASL_SSL";

/** A listener of one broker. */
export interface ListenerSpec {
  /** Listener name as configured on the broker. */
  name: string;
  /** What is spoken on the socket. */
  protocol: SecurityProtocol;
  /** Port on 127.0.0.1. */
  port: number;
  /** True when the broker requires a client certificate. */
  clientAuth: boolean;
}

/** One broker process. */
export interface BrokerSpec {
  /** `broker.id` / `node.id`. */
  id: number;
  /** Which cluster it belongs to. */
  cluster: "kafka39" | "kafka4";
  /** Client-facing listeners. */
  listeners: ListenerSpec[];
}

function listeners39(base: number): ListenerSpec[] {
  return [
    {
      name: "PLAINTEXT",
      protocol: "PLAINTEXT",
      port: base + 92,
      clientAuth: false,
    },
    { name: "SSL", protocol: "SSL", port: base + 93, clientAuth: false },
    {
      name: "SASL_PLAINTEXT",
      protocol: "SASL_PLAINTEXT",
      port: base + 94,
      clientAuth: false,
    },
    {
      name: "SASL_SSL",
      protocol: "SASL_SSL",
      port: base + 95,
      clientAuth: false,
    },
    { name: "MTLS", protocol: "SSL", port: base + 96, clientAuth: true },
  ];
}

/** ZooKeeper client port. */
export const ZOOKEEPER_PORT = 19181;
/** The chroot the Kafka 3.9 cluster registers under in ZooKeeper. */
export const ZOOKEEPER_CHROOT = "/kafka39";
/** The KRaft controller port of the Kafka 4.x node (not for clients). */
export const KRAFT_CONTROLLER_PORT = 19399;

/** Every broker of the test cluster. */
export const BROKERS: readonly BrokerSpec[] = [
  { id: 1, cluster: "kafka39", listeners: listeners39(19100) },
  { id: 2, cluster: "kafka39", listeners: listeners39(19200) },
  {
    id: 101,
    cluster: "kafka4",
    listeners: [
      {
        name: "PLAINTEXT",
        protocol: "PLAINTEXT",
        port: 19392,
        clientAuth: false,
      },
      { name: "SSL", protocol: "SSL", port: 19393, clientAuth: false },
      {
        name: "SASL_PLAINTEXT",
        protocol: "SASL_PLAINTEXT",
        port: 19394,
        clientAuth: false,
      },
    ],
  },
];

/** SASL users known to every SASL listener (PLAIN and both SCRAM mechanisms). */
export const SASL_USERS = {
  /** The user tests authenticate as. */
  alice: { username: "alice", password: "alice-secret" },
  /** A second user (PLAIN only on Kafka 3.9; all mechanisms on 4.x). */
  admin: { username: "admin", password: "admin-secret" },
} as const;

/** SASL mechanisms enabled on the SASL listeners. */
export const SASL_MECHANISMS = [
  "PLAIN",
  "SCRAM-SHA-256",
  "SCRAM-SHA-512",
] as const;

/** Root of this repository. */
export const REPO_ROOT: string = fileURLToPath(
  new URL("../../", import.meta.url),
);

/**
 * Where jars are cached (outside the repository): `$DENOKAFKA_CACHE`, else
 * `$XDG_CACHE_HOME/denokafka`, else `~/.cache/denokafka`.
 */
export function cacheDir(): string {
  const explicit = Deno.env.get("DENOKAFKA_CACHE");
  if (explicit) return explicit;
  const xdg = Deno.env.get("XDG_CACHE_HOME");
  return join(xdg || join(homedir(), ".cache"), "denokafka");
}

/**
 * Where the running cluster keeps data, logs, pid files and TLS material:
 * `$DENOKAFKA_CLUSTER_DIR`, else `<repo>/.cache/cluster` (git-ignored).
 */
export function runDir(): string {
  return Deno.env.get("DENOKAFKA_CLUSTER_DIR") ||
    join(REPO_ROOT, ".cache", "cluster");
}

/** Paths of the TLS material generated at start. */
export interface TlsPaths {
  /** The CA the brokers trust and whose certificates they present. */
  caFile: string;
  /** The broker's key + certificate chain (PEM). */
  serverPemFile: string;
  /** A client certificate signed by the trusted CA (for mTLS). */
  clientCertFile: string;
  /** The client certificate's key (PKCS#8, unencrypted). */
  clientKeyFile: string;
  /** The same client key, encrypted with {@link TLS_KEY_PASSWORD}. */
  clientEncryptedKeyFile: string;
  /** A CA the brokers do not trust. */
  untrustedCaFile: string;
  /** A client certificate signed by the untrusted CA. */
  untrustedClientCertFile: string;
  /** Its key. */
  untrustedClientKeyFile: string;
}

/** Password of the encrypted client key. */
export const TLS_KEY_PASSWORD = "client-key-secret";

/** TLS file paths under the run directory. */
export function tlsPaths(dir: string = runDir()): TlsPaths {
  const t = join(dir, "tls");
  return {
    caFile: join(t, "ca.pem"),
    serverPemFile: join(t, "server.pem"),
    clientCertFile: join(t, "client.pem"),
    clientKeyFile: join(t, "client.key"),
    clientEncryptedKeyFile: join(t, "client-encrypted.key"),
    untrustedCaFile: join(t, "untrusted-ca.pem"),
    untrustedClientCertFile: join(t, "untrusted-client.pem"),
    untrustedClientKeyFile: join(t, "untrusted-client.key"),
  };
}
