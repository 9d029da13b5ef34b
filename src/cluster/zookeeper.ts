/**
 * Broker discovery through ZooKeeper (pykafka's `zookeeper_hosts`): the
 * brokers registered under `/brokers/ids`, each at the endpoint matching
 * the client's security protocol.
 *
 * @module
 */

import { KafkaError, NoBrokersAvailableError } from "../errors/mod.ts";
import { parseHostPort } from "./hosts.ts";
import { deno } from "../util/runtime.ts";
import { errorMessage } from "../util/error_text.ts";

/** The security protocols of Kafka listeners. */
export type SecurityProtocol =
  | "PLAINTEXT"
  | "SSL"
  | "SASL_PLAINTEXT"
  | "SASL_SSL";

/** A broker found in ZooKeeper. */
export interface ZookeeperBroker {
  /** Broker id. */
  id: number;
  /** Host of the chosen endpoint. */
  host: string;
  /** Port of the chosen endpoint. */
  port: number;
  /** Listener name of the chosen endpoint (e.g. `"SSL"`). */
  listener: string;
  /** The broker's rack, if registered. */
  rack: string | null;
}

/** Options of {@linkcode discoverBrokersFromZookeeper}. */
export interface ZookeeperDiscoveryOptions {
  /** The client's security protocol: endpoints speaking it are used. */
  securityProtocol: SecurityProtocol;
  /**
   * Use the endpoint of this listener name (e.g. `"MTLS"` when several
   * listeners speak the same protocol). Default: the listener named like
   * the protocol, else the first listener speaking it.
   */
  listenerName?: string;
  /** Give up after this many ms (default 10000). */
  timeoutMs?: number;
}

/** What this module needs of node-zookeeper-client's `Client` (internal). */
export interface ZkClient {
  connect(): void;
  close(): void;
  once(event: string, listener: (...args: unknown[]) => void): void;
  getChildren(
    path: string,
    cb: (error: unknown, children: string[]) => void,
  ): void;
  getData(
    path: string,
    cb: (error: unknown, data: Uint8Array | null) => void,
  ): void;
  connectionManager?: {
    state?: number;
    socket?: { destroy?: () => void };
    setState?: (state: number) => void;
    connectTimeoutHandler?: ReturnType<typeof setTimeout>;
  };
}

/** node-zookeeper-client's module (internal). */
export interface ZkModule {
  createClient(
    connectString: string,
    options: Record<string, unknown>,
  ): ZkClient;
}

let zkModule: Promise<ZkModule> | undefined;

/**
 * Where node-zookeeper-client comes from: npm through Deno's `npm:`
 * specifier on Deno; the program's own `node_modules` on Node and Bun
 * (`npm install node-zookeeper-client@1.1.3`).
 */
const ZOOKEEPER_CLIENT: string = deno
  ? "npm:node-zookeeper-client@1.1.3"
  : "node-zookeeper-client";

/**
 * node-zookeeper-client, loaded on first use: a program that never uses
 * ZooKeeper neither downloads nor loads it (nor its dependencies). The
 * specifier is a variable on purpose: Deno fetches every dynamic import
 * whose specifier is a literal when the program starts. Internal: shared
 * with `ZookeeperClient` (zookeeper_client.ts).
 */
export function loadZookeeper(): Promise<ZkModule> {
  zkModule ??= import(ZOOKEEPER_CLIENT).then(
    (m) => (m.default ?? m) as unknown as ZkModule,
    (e) => {
      zkModule = undefined;
      throw new KafkaError(
        `ZooKeeper: cannot load node-zookeeper-client (${ZOOKEEPER_CLIENT}${
          deno
            ? ""
            : "; install it with npm install node-zookeeper-client@1.1.3"
        }): ${errorMessage(e)}`,
        { cause: e },
      );
    },
  );
  return zkModule;
}

/**
 * The security protocol a client with these settings speaks.
 *
 * @example
 * ```ts
 * import { securityProtocolOf } from "./zookeeper.ts";
 * console.assert(securityProtocolOf(true, false) === "SSL");
 * ```
 */
export function securityProtocolOf(
  ssl: boolean,
  sasl: boolean,
): SecurityProtocol {
  return ssl
    ? (sasl ? "SASL_SSL" : "SSL")
    : (sasl ? "SASL_PLAINTEXT" : "PLAINTEXT");
}

/** The JSON a broker registers at `/brokers/ids/<id>` (the fields used). */
export interface ZookeeperRegistration {
  /** Legacy PLAINTEXT host (null on brokers without a PLAINTEXT listener). */
  host?: string | null;
  /** Legacy PLAINTEXT port (-1 without a PLAINTEXT listener). */
  port?: number;
  /** `"LISTENER_NAME://host:port"` entries. */
  endpoints?: string[];
  /** Listener name -> security protocol. */
  listener_security_protocol_map?: Record<string, string>;
  /** The broker's rack. */
  rack?: string | null;
}

/**
 * Picks the endpoint of a broker registration (the JSON of
 * `/brokers/ids/<id>`) for a security protocol, or explains why none fits.
 *
 * @example
 * ```ts
 * import { endpointFor } from "./zookeeper.ts";
 * const reg = {
 *   endpoints: ["PLAINTEXT://h:9092", "SSL://h:9093"],
 *   listener_security_protocol_map: { PLAINTEXT: "PLAINTEXT", SSL: "SSL" },
 * };
 * const e = endpointFor(reg, { securityProtocol: "SSL" });
 * console.assert(typeof e !== "string" && e.port === 9093);
 * ```
 */
export function endpointFor(
  registration: ZookeeperRegistration,
  options: { securityProtocol: SecurityProtocol; listenerName?: string },
): { host: string; port: number; listener: string } | string {
  const endpoints = registration.endpoints ?? [];
  const map = registration.listener_security_protocol_map ?? {};
  const parsed: { name: string; protocol: string; rest: string }[] = [];
  for (const e of endpoints) {
    const m = /^([^:]+):\/\/(.*)$/.exec(e);
    if (!m) continue;
    const name = m[1];
    parsed.push({ name, protocol: map[name] ?? name, rest: m[2] });
  }
  let chosen;
  if (options.listenerName !== undefined) {
    chosen = parsed.find((p) => p.name === options.listenerName);
    if (!chosen) {
      return `no listener named ${options.listenerName} (endpoints: ${
        endpoints.join(", ") || "none"
      })`;
    }
  } else {
    const fit = parsed.filter((p) => p.protocol === options.securityProtocol);
    chosen = fit.find((p) => p.name === options.securityProtocol) ?? fit[0];
  }
  if (chosen) {
    const hp = parseHostPort(chosen.rest);
    return { host: hp.host, port: hp.port, listener: chosen.name };
  }
  // Brokers before 0.9 registered only host and port (PLAINTEXT).
  if (
    parsed.length === 0 && options.securityProtocol === "PLAINTEXT" &&
    registration.host && registration.port && registration.port > 0
  ) {
    return {
      host: registration.host,
      port: registration.port,
      listener: "PLAINTEXT",
    };
  }
  return `no ${options.securityProtocol} endpoint (endpoints: ${
    endpoints.join(", ") || "none"
  })`;
}

const CLOSED = -2;
const CLOSING = -1;
const CONNECTED = 2;
const CONNECTED_READ_ONLY = 3;

/**
 * Closes a node-zookeeper-client client and waits until it is really
 * closed: a client that never connected may sit in a reconnect delay and
 * then dial once more, so its sockets are destroyed until it gives up.
 */
export async function closeClient(client: ZkClient): Promise<void> {
  const cm = client.connectionManager;
  const connected = cm?.state === CONNECTED ||
    cm?.state === CONNECTED_READ_ONLY;
  if (!cm || connected || !cm.setState) client.close();
  else {
    // No session to end: close() would write CLOSE_SESSION to a socket
    // that may not exist yet (it throws). Closing, the socket's end does
    // not dial again.
    cm.setState(CLOSING);
  }
  if (!cm) return;
  for (let i = 0; i < 200 && cm.state !== CLOSED; i++) {
    // Give a connected client a moment to end its session politely.
    if (i >= 10 || !connected) {
      clearTimeout(cm.connectTimeoutHandler);
      cm.socket?.destroy?.();
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  clearTimeout(cm.connectTimeoutHandler);
}

/**
 * Reads the brokers registered in ZooKeeper (`/brokers/ids`, under the
 * chroot of the connection string, e.g. `"zk1:2181,zk2:2181/kafka"`), each
 * with the endpoint that speaks the client's security protocol (pykafka
 * read only the legacy `host`/`port` fields, so brokers without a
 * PLAINTEXT listener could not be found). Sorted by broker id.
 *
 * Throws `NoBrokersAvailableError` when ZooKeeper cannot be reached within
 * `timeoutMs`, the path does not exist (wrong chroot?), or no broker has a
 * matching endpoint (the message says which endpoints exist).
 *
 * @example
 * ```ts
 * import { discoverBrokersFromZookeeper } from "./zookeeper.ts";
 * // e.g. "127.0.0.1:2181/kafka": ZooKeeper hosts, then the cluster's chroot
 * const zookeeper = Deno.env.get("KAFKA_ZOOKEEPER") ?? "127.0.0.1:2181";
 * const brokers = await discoverBrokersFromZookeeper(zookeeper, {
 *   securityProtocol: "SSL",
 * });
 * for (const b of brokers) console.log(b.id, `${b.host}:${b.port}`);
 * ```
 */
export async function discoverBrokersFromZookeeper(
  connectString: string,
  options: ZookeeperDiscoveryOptions,
): Promise<ZookeeperBroker[]> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const zookeeper = await loadZookeeper();
  let client: ZkClient;
  try {
    client = zookeeper.createClient(connectString, {
      sessionTimeout: Math.max(6000, timeoutMs),
      spinDelay: 200,
      retries: 0,
    });
  } catch (e) {
    throw new KafkaError(
      `zookeeperHosts ${JSON.stringify(connectString)}: ${errorMessage(e)}`,
      { cause: e },
    );
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new NoBrokersAvailableError(
            `ZooKeeper ${connectString}: no answer within ${timeoutMs} ms`,
          ),
        ),
      timeoutMs,
    );
  });
  const work = (async () => {
    await new Promise<void>((resolve) => {
      client.once("connected", () => resolve());
      client.connect();
    });
    const ids = await new Promise<string[]>((resolve, reject) => {
      client.getChildren("/brokers/ids", (err, children) => {
        if (err) {
          reject(
            new NoBrokersAvailableError(
              `ZooKeeper ${connectString}: cannot list /brokers/ids (${
                errorMessage(err)
              }; is the chroot right?)`,
              { cause: err },
            ),
          );
        } else resolve(children);
      });
    });
    const regs = await Promise.all(
      ids.map((id) =>
        new Promise<[string, ZookeeperRegistration | null]>((resolve) => {
          client.getData(`/brokers/ids/${id}`, (err, data) => {
            if (err || !data) return resolve([id, null]); // gone meanwhile
            try {
              resolve([id, JSON.parse(new TextDecoder().decode(data))]);
            } catch {
              resolve([id, null]);
            }
          });
        })
      ),
    );
    return regs;
  })();
  let regs: [string, ZookeeperRegistration | null][];
  try {
    regs = await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
    work.catch(() => {});
    await closeClient(client);
  }
  const out: ZookeeperBroker[] = [];
  const why: string[] = [];
  for (const [id, reg] of regs) {
    if (!reg) continue;
    const e = endpointFor(reg, options);
    if (typeof e === "string") {
      why.push(`broker ${id}: ${e}`);
      continue;
    }
    out.push({
      id: Number(id),
      host: e.host,
      port: e.port,
      listener: e.listener,
      rack: reg.rack ?? null,
    });
  }
  if (out.length === 0) {
    throw new NoBrokersAvailableError(
      `ZooKeeper ${connectString}: no broker ${
        regs.length === 0
          ? "is registered under /brokers/ids"
          : `has a usable endpoint for ${options.securityProtocol} (${
            why.join("; ")
          })`
      }`,
    );
  }
  return out.sort((a, b) => a.id - b.id);
}
