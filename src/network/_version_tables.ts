// Highest API version each Kafka release serves, as data (from
// kafka-protocol-notes §1.3, computed from each release's Protocol.java /
// request schemas / message JSON), plus the minimums Kafka 4.x raised
// (KIP-896, §1.1). Releases before 0.10.0 have no ApiVersions request, so
// their rows are the whole truth; for later releases a row is a cap applied
// to what the broker advertises.

/** API keys of the table's columns, in column order. */
export const TABLE_KEYS: readonly number[] = [
  0, // Produce
  1, // Fetch
  2, // ListOffsets
  3, // Metadata
  8, // OffsetCommit
  9, // OffsetFetch
  10, // FindCoordinator
  11, // JoinGroup
  14, // SyncGroup
  12, // Heartbeat
  13, // LeaveGroup
  18, // ApiVersions
  17, // SaslHandshake
  36, // SaslAuthenticate
  19, // CreateTopics
  22, // InitProducerId
  68, // ConsumerGroupHeartbeat
];

/** `-1`: the release does not have that API. */
const _ = -1;

/**
 * One row per release line: [first version of the line, max version per
 * TABLE_KEYS column]. "(unstable)" versions are left out: brokers do not
 * advertise them by default.
 */
export const RELEASE_MAX_VERSIONS: ReadonlyArray<
  readonly [string, readonly number[]]
> = [
  ["0.8.2", [0, 0, 0, 0, 1, 1, 0, _, _, _, _, _, _, _, _, _, _]],
  ["0.9.0", [1, 1, 0, 0, 2, 1, 0, 0, 0, 0, 0, _, _, _, _, _, _]],
  ["0.10.0", [2, 2, 0, 1, 2, 1, 0, 0, 0, 0, 0, 0, 0, _, _, _, _]],
  ["0.10.1", [2, 3, 1, 2, 2, 1, 0, 1, 0, 0, 0, 0, 0, _, 0, _, _]],
  ["0.10.2", [2, 3, 1, 2, 2, 2, 0, 1, 0, 0, 0, 0, 0, _, 1, _, _]],
  ["0.11.0", [3, 5, 2, 4, 3, 3, 1, 2, 1, 1, 1, 1, 0, _, 2, 0, _]],
  ["1.0.0", [5, 6, 2, 5, 3, 3, 1, 2, 1, 1, 1, 1, 1, 0, 2, 0, _]],
  ["1.1.0", [5, 7, 2, 5, 3, 3, 1, 2, 1, 1, 1, 1, 1, 0, 2, 0, _]],
  ["2.0.0", [6, 8, 3, 6, 4, 4, 2, 3, 2, 2, 2, 2, 1, 0, 3, 1, _]],
  ["2.1.0", [7, 10, 4, 7, 6, 5, 2, 3, 2, 2, 2, 2, 1, 0, 3, 1, _]],
  ["2.2.0", [7, 10, 5, 7, 6, 5, 2, 4, 2, 2, 2, 2, 1, 1, 3, 1, _]],
  ["2.3.0", [7, 11, 5, 8, 7, 5, 2, 5, 3, 3, 2, 2, 1, 1, 3, 1, _]],
  ["2.4.0", [8, 11, 5, 9, 8, 6, 3, 6, 4, 4, 4, 3, 1, 1, 5, 2, _]],
  ["2.5.0", [8, 11, 5, 9, 8, 7, 3, 7, 5, 4, 4, 3, 1, 2, 5, 3, _]],
  ["2.6.0", [8, 11, 5, 9, 8, 7, 3, 7, 5, 4, 4, 3, 1, 2, 5, 3, _]],
  ["2.7.0", [8, 12, 5, 9, 8, 7, 3, 7, 5, 4, 4, 3, 1, 2, 6, 4, _]],
  ["2.8.0", [9, 12, 6, 11, 8, 7, 3, 7, 5, 4, 4, 3, 1, 2, 7, 4, _]],
  ["3.0.0", [9, 12, 7, 11, 8, 8, 4, 7, 5, 4, 4, 3, 1, 2, 7, 4, _]],
  ["3.1.0", [9, 13, 7, 12, 8, 8, 4, 7, 5, 4, 4, 3, 1, 2, 7, 4, _]],
  ["3.2.0", [9, 13, 7, 12, 8, 8, 4, 9, 5, 4, 5, 3, 1, 2, 7, 4, _]],
  ["3.5.0", [9, 15, 8, 12, 8, 8, 4, 9, 5, 4, 5, 3, 1, 2, 7, 4, _]],
  ["3.7.0", [10, 16, 8, 12, 9, 9, 4, 9, 5, 4, 5, 3, 1, 2, 7, 4, 0]],
  ["3.8.0", [11, 16, 8, 12, 9, 9, 5, 9, 5, 4, 5, 3, 1, 2, 7, 5, 0]],
  ["3.9.0", [11, 17, 9, 12, 9, 9, 6, 9, 5, 4, 5, 4, 1, 2, 7, 5, 0]],
  ["4.0.0", [12, 17, 10, 13, 9, 9, 6, 9, 5, 4, 5, 4, 1, 2, 7, 5, 1]],
  ["4.1.0", [13, 18, 10, 13, 9, 9, 6, 9, 5, 4, 5, 4, 1, 2, 7, 5, 1]],
];

/**
 * APIs the pre-0.10 rows serve beyond the table's columns: ListGroups (16)
 * and DescribeGroups (15) v0 exist since 0.9.0 (pykafka's API_VERSIONS_090
 * lists them).
 */
export const RELEASE_EXTRA_MAX_VERSIONS: Readonly<
  Record<string, Readonly<Record<number, number>>>
> = {
  "0.9.0": { 15: 0, 16: 0 },
};

/**
 * Minimum versions raised by KIP-896, per release line (every other API keeps
 * minimum 0). Produce's minimum is 3 although 4.x brokers advertise 0
 * (KAFKA-18659); JoinGroup v0-1 came back in 4.0.1.
 */
export const RELEASE_MIN_VERSIONS: Readonly<
  Record<string, Readonly<Record<number, number>>>
> = {
  "4.0.0": {
    0: 3,
    1: 4,
    2: 1,
    8: 2,
    9: 1,
    11: 2,
    19: 2,
    20: 1,
    23: 2,
    32: 1,
  },
  "4.0.1": { 0: 3, 1: 4, 2: 1, 8: 2, 9: 1, 19: 2, 20: 1, 23: 2, 32: 1 },
};

/**
 * Client-side caps: versions our codecs could encode but a client must not
 * send (AddPartitionsToTxn v4+ is broker-to-broker, KIP-890).
 */
export const CLIENT_MAX_VERSIONS: Readonly<Record<number, number>> = {
  24: 3,
};
