/**
 * {@linkcode ZookeeperError}: a ZooKeeper request failed.
 *
 * @module
 */
import { KafkaError, NO_KAFKA_CODE } from "./kafka_error.ts";

/** ZooKeeper's error codes (`KeeperException.Code`), by name. */
const CODES: Readonly<Record<string, number>> = Object.freeze({
  SYSTEM_ERROR: -1,
  RUNTIME_INCONSISTENCY: -2,
  DATA_INCONSISTENCY: -3,
  CONNECTION_LOSS: -4,
  MARSHALLING_ERROR: -5,
  UNIMPLEMENTED: -6,
  OPERATION_TIMEOUT: -7,
  BAD_ARGUMENTS: -8,
  API_ERROR: -100,
  NO_NODE: -101,
  NO_AUTH: -102,
  BAD_VERSION: -103,
  NO_CHILDREN_FOR_EPHEMERALS: -108,
  NODE_EXISTS: -110,
  NOT_EMPTY: -111,
  SESSION_EXPIRED: -112,
  INVALID_CALLBACK: -113,
  INVALID_ACL: -114,
  AUTH_FAILED: -115,
});

const NAMES = new Map(Object.entries(CODES).map(([k, v]) => [v, k]));

/** Codes after which the same request may succeed on a new connection or session. */
const RETRIABLE = new Set([
  CODES.CONNECTION_LOSS,
  CODES.OPERATION_TIMEOUT,
  CODES.SESSION_EXPIRED,
]);

/**
 * A ZooKeeper request failed (kazoo's `KazooException` family): `zkCode`
 * is ZooKeeper's error code (`ZookeeperError.NODE_EXISTS`, `NO_NODE`,
 * `CONNECTION_LOSS`, ...), `zkCodeName` its name, `path` the node. Lost
 * connections, timeouts and expired sessions are `retriable`. `code` (the
 * Kafka error code) is -1.
 *
 * @example
 * ```ts
 * import { ZookeeperError } from "./mod.ts";
 * const err = new ZookeeperError(ZookeeperError.NODE_EXISTS, "/consumers/g/ids/x");
 * console.assert(err.zkCodeName === "NODE_EXISTS" && !err.retriable);
 * console.assert(new ZookeeperError(ZookeeperError.CONNECTION_LOSS).retriable);
 * ```
 */
export class ZookeeperError extends KafkaError {
  /** The node already exists. */
  static readonly NODE_EXISTS: number = CODES.NODE_EXISTS;
  /** The node does not exist. */
  static readonly NO_NODE: number = CODES.NO_NODE;
  /** The node has children. */
  static readonly NOT_EMPTY: number = CODES.NOT_EMPTY;
  /** The node's version is not the one given. */
  static readonly BAD_VERSION: number = CODES.BAD_VERSION;
  /** The connection dropped before the answer (the request may or may not have been applied). */
  static readonly CONNECTION_LOSS: number = CODES.CONNECTION_LOSS;
  /** No answer in time (the request may or may not have been applied). */
  static readonly OPERATION_TIMEOUT: number = CODES.OPERATION_TIMEOUT;
  /** The session expired: its ephemeral nodes and watches are gone. */
  static readonly SESSION_EXPIRED: number = CODES.SESSION_EXPIRED;
  /** The ACLs do not allow the request. */
  static readonly NO_AUTH: number = CODES.NO_AUTH;

  /** ZooKeeper's error code (negative). */
  readonly zkCode: number;
  /** The code's name (`"NODE_EXISTS"`), or `"UNKNOWN"`. */
  readonly zkCodeName: string;
  /** The node the request was about, when there is one. */
  readonly path: string | undefined;

  /**
   * Creates the error.
   *
   * @param zkCode ZooKeeper's error code
   * @param path the node the request was about
   * @param options `message` overrides the generated text; `cause`
   */
  constructor(
    zkCode: number,
    path?: string,
    options?: ErrorOptions & { message?: string },
  ) {
    const name = NAMES.get(zkCode) ?? "UNKNOWN";
    super(
      options?.message ??
        `ZooKeeper: ${name} (${zkCode})${
          path === undefined ? "" : ` for ${path}`
        }`,
      {
        cause: options?.cause,
        code: NO_KAFKA_CODE,
        retriable: RETRIABLE.has(zkCode),
      },
    );
    this.zkCode = zkCode;
    this.zkCodeName = name;
    this.path = path;
  }
}
