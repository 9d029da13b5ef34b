import assert from "node:assert/strict";
import {
  className,
  emitBrokerErrors,
  loadErrorTable,
} from "../../tools/codegen/errors.ts";
import * as errors from "./mod.ts";
import {
  AbortError,
  AuthenticationError,
  AuthorizationError,
  ConnectionTimeoutError,
  ConsumerStoppedError,
  ConsumerStoppedException,
  CorruptMessage,
  CorruptRecordError,
  errorForCode,
  errorInfo,
  FrameTooLargeError,
  GroupAuthorizationFailed,
  GroupCoordinatorNotAvailable,
  GroupLoadInProgress,
  IllegalGeneration,
  InconsistentGroupProtocol,
  InvalidMessageError,
  InvalidMessageSize,
  InvalidMetadataError,
  InvalidSessionTimeout,
  InvalidTopic,
  KAFKA_ERROR_CODES,
  KafkaError,
  LeaderNotAvailable,
  MessageSizeTooLarge,
  NetworkException,
  NO_KAFKA_CODE,
  NoBrokersAvailableError,
  NotCoordinatorForGroup,
  NotLeaderForPartition,
  NotLeaderOrFollower,
  OffsetMetadataTooLarge,
  OffsetOutOfRangeError,
  OffsetRequestFailedError,
  PartitionOwnedError,
  ProducerQueueFullError,
  ProducerStoppedError,
  ProducerStoppedException,
  ProtocolError,
  RebalanceInProgress,
  RequestTimedOut,
  RequestTimeoutError,
  SaslAuthenticationError,
  SaslAuthenticationFailed,
  SocketDisconnectedError,
  TopicAuthorizationFailed,
  UnknownError,
  UnknownMemberId,
  UnknownServerError,
  UnknownTopicOrPartition,
  UnsupportedFeatureError,
  UnsupportedVersion,
  UnsupportedVersionError,
} from "./mod.ts";

// Retriable codes per Kafka 4.4's Java client (classes extending
// RetriableException), the complement of which is non-retriable.
const RETRIABLE = [
  2,
  3,
  5,
  6,
  7,
  9,
  13,
  14,
  15,
  16,
  19,
  20,
  41,
  51,
  56,
  70,
  71,
  72,
  74,
  75,
  78,
  80,
  83,
  84,
  88,
  89,
  100,
  103,
  106,
  122,
  123,
  133,
];

Deno.test("every Kafka code from -1 to 136 maps to its own class", () => {
  const codes = KAFKA_ERROR_CODES.map((e) => e.code);
  assert.deepEqual(codes, [
    -1,
    ...Array.from({ length: 136 }, (_, i) => i + 1),
  ]);
  const classes = new Set(KAFKA_ERROR_CODES.map((e) => e.errorClass));
  assert.equal(classes.size, KAFKA_ERROR_CODES.length);
  for (const info of KAFKA_ERROR_CODES) {
    const err = errorForCode(info.code);
    assert.ok(err instanceof info.errorClass, info.name);
    assert.ok(err instanceof KafkaError && err instanceof Error);
    assert.equal(err.constructor, info.errorClass);
    assert.equal(err.code, info.code);
    assert.equal(err.name, info.errorClass.name);
    assert.equal(err.message, info.message);
    assert.ok(info.message.length > 0);
    assert.equal(err.retriable, RETRIABLE.includes(info.code), info.name);
    assert.equal(err.retriable, info.retriable);
    assert.equal(errorInfo(info.code), info);
    // Class name = PascalCase of the enum name without _EXCEPTION/_ERROR,
    // ending in Error.
    assert.equal(
      info.errorClass.name,
      info.name.replace(/_(EXCEPTION|ERROR)$/, "").split("_").map((p) =>
        p[0] + p.slice(1).toLowerCase()
      ).join("") + "Error",
    );
  }
});

Deno.test("a sample of codes and their names", () => {
  const expect: [number, string, boolean][] = [
    [-1, "UNKNOWN_SERVER_ERROR", false],
    [1, "OFFSET_OUT_OF_RANGE", false],
    [3, "UNKNOWN_TOPIC_OR_PARTITION", true],
    [6, "NOT_LEADER_OR_FOLLOWER", true],
    [10, "MESSAGE_TOO_LARGE", false],
    [25, "UNKNOWN_MEMBER_ID", false],
    [27, "REBALANCE_IN_PROGRESS", false],
    [35, "UNSUPPORTED_VERSION", false],
    [36, "TOPIC_ALREADY_EXISTS", false],
    [58, "SASL_AUTHENTICATION_FAILED", false],
    [87, "INVALID_RECORD", false],
    [99, "POSITION_OUT_OF_RANGE", false],
    [136, "CONTROLLER_ID_NOT_REGISTERED", false],
  ];
  for (const [code, name, retriable] of expect) {
    assert.equal(errorInfo(code)?.name, name);
    assert.equal(errorForCode(code).retriable, retriable, name);
  }
});

Deno.test("the broker's message replaces the description; cause is kept", () => {
  const cause = new Error("root");
  const err = errorForCode(36, "Topic 'x' already exists.", { cause });
  assert.equal(err.message, "Topic 'x' already exists.");
  assert.equal(err.cause, cause);
  assert.equal(errorForCode(36, null).message, errorInfo(36)!.message);
  assert.equal(errorForCode(36, "").message, errorInfo(36)!.message);
  assert.ok(!("cause" in errorForCode(36)));
  assert.match(String(errorForCode(6)), /^NotLeaderOrFollowerError: /);
  assert.match(String(errorForCode(17)), /^InvalidTopicError: /);
});

Deno.test("unknown codes give a plain KafkaError carrying the number", () => {
  for (const code of [-2, 137, 999, 32767, -32768, 1.5, NaN]) {
    const err = errorForCode(code);
    assert.equal(err.constructor, KafkaError);
    assert.ok(Object.is(err.code, code));
    assert.equal(err.retriable, false);
    assert.equal(err.name, "KafkaError");
    assert.match(err.message, /Unknown Kafka error code/);
    assert.equal(errorInfo(code), undefined);
  }
  assert.equal(errorForCode(999, "from broker").message, "from broker");
  const none = errorForCode(0);
  assert.equal(none.constructor, KafkaError);
  assert.equal(none.code, 0);
  assert.match(none.message, /code 0/);
});

Deno.test("pykafka and legacy names are the same classes", () => {
  const pairs: [unknown, number][] = [
    [UnknownError, -1],
    [OffsetOutOfRangeError, 1],
    [InvalidMessageError, 2],
    [UnknownTopicOrPartition, 3],
    [InvalidMessageSize, 4],
    [LeaderNotAvailable, 5],
    [NotLeaderForPartition, 6],
    [RequestTimedOut, 7],
    [MessageSizeTooLarge, 10],
    [OffsetMetadataTooLarge, 12],
    [GroupLoadInProgress, 14],
    [GroupCoordinatorNotAvailable, 15],
    [NotCoordinatorForGroup, 16],
    [InvalidTopic, 17],
    [IllegalGeneration, 22],
    [InconsistentGroupProtocol, 23],
    [UnknownMemberId, 25],
    [InvalidSessionTimeout, 26],
    [RebalanceInProgress, 27],
    [TopicAuthorizationFailed, 29],
    [GroupAuthorizationFailed, 30],
    [UnsupportedVersionError, 35],
    [SaslAuthenticationError, 58],
  ];
  for (const [cls, code] of pairs) {
    assert.equal(cls, errorInfo(code)!.errorClass);
  }
  assert.equal(NotLeaderForPartition, NotLeaderOrFollower);
  assert.equal(UnknownError, UnknownServerError);
  assert.equal(SaslAuthenticationError, SaslAuthenticationFailed);
  assert.equal(UnsupportedVersionError, UnsupportedVersion);
  assert.ok(errorForCode(6) instanceof NotLeaderForPartition);
});

Deno.test("groupings follow Kafka's exception families", () => {
  for (const code of [3, 5, 6, 9, 13, 56, 72, 74, 80, 83, 84, 100, 103]) {
    const err = errorForCode(code);
    assert.ok(err instanceof InvalidMetadataError, String(code));
    assert.ok(err.retriable);
  }
  for (const code of [29, 30, 31, 53, 65]) {
    assert.ok(errorForCode(code) instanceof AuthorizationError);
  }
  for (const code of [33, 34, 58]) {
    assert.ok(errorForCode(code) instanceof AuthenticationError);
  }
  assert.ok(!(errorForCode(1) instanceof InvalidMetadataError));
});

Deno.test("client-side errors: codes, retriable flags and instanceof chains", () => {
  const cases: [KafkaError, number, boolean, ...unknown[]][] = [
    [
      new SocketDisconnectedError(),
      13,
      true,
      NetworkException,
      InvalidMetadataError,
    ],
    [
      new ConnectionTimeoutError(),
      13,
      true,
      SocketDisconnectedError,
      NetworkException,
    ],
    [new RequestTimeoutError(), 7, true, RequestTimedOut],
    [new FrameTooLargeError(2 ** 31, 100), NO_KAFKA_CODE, false],
    [new ProtocolError(), -1, false],
    [new UnsupportedFeatureError(), -1, false],
    [new AbortError(), -1, false],
    [new NoBrokersAvailableError(), -1, true],
    [new ProducerQueueFullError(), -1, true],
    [new ProducerStoppedError(), -1, false],
    [new ConsumerStoppedError(), -1, false],
    [new ProducerStoppedException(), -1, false, ProducerStoppedError],
    [new ConsumerStoppedException(), -1, false, ConsumerStoppedError],
    [new PartitionOwnedError("t", 1), -1, true],
    [new OffsetRequestFailedError(), -1, false],
    [new CorruptRecordError(), 2, false, CorruptMessage],
    [
      new SaslAuthenticationError("bad password"),
      58,
      false,
      AuthenticationError,
    ],
    [new UnsupportedVersionError("Fetch v0-3 not served"), 35, false],
  ];
  for (const [err, code, retriable, ...parents] of cases) {
    assert.ok(err instanceof KafkaError && err instanceof Error, err.name);
    assert.equal(err.code, code, err.name);
    assert.equal(err.retriable, retriable, err.name);
    assert.equal(err.name, err.constructor.name);
    assert.ok(err.message.length > 0, err.name);
    assert.ok(typeof err.stack === "string");
    for (const p of parents) {
      assert.ok(
        err instanceof (p as typeof KafkaError),
        `${err.name} < ${(p as typeof KafkaError).name}`,
      );
    }
  }
});

Deno.test("client-side errors carry their details", () => {
  const corrupt = new CorruptRecordError("CRC mismatch", {
    topic: "events",
    partition: 2,
    offset: 1234,
    cause: new Error("crc"),
  });
  assert.equal(corrupt.topic, "events");
  assert.equal(corrupt.partition, 2);
  assert.equal(corrupt.offset, 1234);
  assert.equal(
    corrupt.message,
    "CRC mismatch (topic events, partition 2, offset 1234)",
  );
  assert.equal((corrupt.cause as Error).message, "crc");
  assert.equal(
    new CorruptRecordError("x", { offset: 0 }).message,
    "x (offset 0)",
  );

  const frame = new FrameTooLargeError(-5, 1024);
  assert.equal(frame.size, -5);
  assert.equal(frame.maxSize, 1024);
  assert.match(frame.message, /invalid/);
  assert.match(new FrameTooLargeError(4096, 1024).message, /4096.*1024/);

  const owned = new PartitionOwnedError("t", 7);
  assert.equal(owned.topic, "t");
  assert.equal(owned.partitionId, 7);
  assert.match(owned.message, /t\/7/);

  const signal = AbortSignal.abort(new Error("stop"));
  const aborted = AbortError.fromSignal(signal, "fetch aborted");
  assert.equal(aborted.name, "AbortError");
  assert.equal(aborted.cause, signal.reason);
  assert.equal(aborted.message, "fetch aborted");

  const generic = new KafkaError("x");
  assert.equal(generic.code, -1);
  assert.equal(generic.retriable, false);
  assert.ok(!("cause" in generic));
  const withCause = new KafkaError("x", { code: 7, retriable: true, cause: 1 });
  assert.equal(withCause.cause, 1);
});

const TABLE_PATH = new URL(
  "../../tools/codegen/specs/errors.json",
  import.meta.url,
);
const TABLE = loadErrorTable(TABLE_PATH.pathname);
const EXPORTS = errors as unknown as Record<string, unknown>;
const GROUPS: Record<string, unknown> = {
  InvalidMetadataError,
  AuthorizationError,
  AuthenticationError,
};

Deno.test("every row of the error table: code -> class -> code, with its facts", () => {
  assert.equal(TABLE.rows.length, KAFKA_ERROR_CODES.length);
  for (const [i, row] of TABLE.rows.entries()) {
    const name = className(row.name);
    const cls = EXPORTS[name] as typeof KafkaError & {
      code: number;
      description: string;
    };
    assert.equal(typeof cls, "function", name);
    assert.equal(cls.name, name);
    assert.equal(cls.code, row.code, name);
    assert.equal(cls.description, row.description, name);
    const info = KAFKA_ERROR_CODES[i];
    assert.deepEqual(
      [info.code, info.name, info.message, info.retriable, info.errorClass],
      [row.code, row.name, row.description, row.retriable, cls],
    );
    const err = errorForCode(row.code);
    assert.equal(err.constructor, cls, name);
    assert.equal(err.name, name);
    assert.equal(err.code, row.code);
    assert.equal(err.retriable, row.retriable, name);
    assert.equal(err.message, row.description);
    assert.equal(errorInfo(cls.code)?.errorClass, cls);
    // Constructed directly: the same facts, the given message and cause.
    const direct = new cls("from broker", { cause: "c" });
    assert.deepEqual(
      [direct.code, direct.retriable, direct.message, direct.cause],
      [row.code, row.retriable, "from broker", "c"],
    );
    const parent = Object.getPrototypeOf(cls);
    assert.equal(parent, row.base ? GROUPS[row.base] : KafkaError, name);
  }
});

Deno.test("every alias in the error table is the same class, value and name", () => {
  let count = 0;
  for (const row of TABLE.rows) {
    const cls = EXPORTS[className(row.name)];
    for (const alias of Object.keys(row.aliases)) {
      assert.equal(EXPORTS[alias], cls, `${alias} = ${className(row.name)}`);
      // err.name is the canonical name, whatever name constructed it.
      const err = new (EXPORTS[alias] as typeof KafkaError)();
      assert.equal(err.name, className(row.name));
      assert.ok(errorForCode(row.code) instanceof (cls as typeof KafkaError));
      count++;
    }
  }
  // denokafka 0.1's class names (134 of the 137 changed) plus its 12
  // aliases (pykafka, older Kafka and client-side names), less the 2 of those
  // that became class names (OffsetOutOfRangeError, UnsupportedVersionError).
  assert.equal(count, 134 + 12 - 2);
  assert.equal(ProducerStoppedException, ProducerStoppedError);
  assert.equal(ConsumerStoppedException, ConsumerStoppedError);
  assert.equal(new ConsumerStoppedException().name, "ConsumerStoppedError");
});

Deno.test("src/errors/broker_errors.ts is what the generator makes of the table", async () => {
  const committed = await Deno.readTextFile(
    new URL("./broker_errors.ts", import.meta.url),
  );
  assert.ok(
    committed === emitBrokerErrors(TABLE),
    "src/errors/broker_errors.ts differs from tools/codegen/specs/errors.json: run `deno task codegen`",
  );
});

Deno.test("the error table rejects rows that would break the generated module", () => {
  const bad: [string, unknown][] = [
    ["code must be -1 or a positive integer", { code: 0 }],
    ["increasing order", { code: -1 }],
    ["UPPER_SNAKE", { name: "notLeader" }],
    ["retriable must be a boolean", { retriable: "yes" }],
    ["base must be one of", { base: "KafkaError" }],
    ["must be retriable", { base: "InvalidMetadataError", retriable: false }],
    ["unknown key", { retryable: true }],
    ["is used twice", { aliases: { NotLeaderForPartition: "pykafka" } }],
    ["say where it comes from", { aliases: { Foo: "" } }],
  ];
  const dir = Deno.makeTempDirSync({ prefix: "errors-table-" });
  try {
    for (const [message, change] of bad) {
      const rows = TABLE.rows.slice(0, 7).map((r) => ({ ...r }));
      rows.push({
        code: 200,
        name: "SOME_NEW_ERROR",
        retriable: true,
        description: "x",
        aliases: {},
        ...(change as object),
      });
      const path = `${dir}/errors.json`;
      Deno.writeTextFileSync(
        path,
        JSON.stringify({ kafka: "9.9", errors: rows }),
      );
      assert.throws(() => loadErrorTable(path), (e: Error) => {
        assert.match(e.message, new RegExp(message));
        assert.match(e.message, /errors\.json: row/);
        return true;
      });
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("README's error table names every class and alias of the table", async () => {
  const readme = await Deno.readTextFile(
    new URL("../../README.md", import.meta.url),
  );
  // One row per class that has aliases.
  for (const row of TABLE.rows.filter((r) => Object.keys(r.aliases).length)) {
    for (const name of [className(row.name), ...Object.keys(row.aliases)]) {
      assert.ok(readme.includes(`\`${name}\``), `README lacks ${name}`);
    }
  }
});
