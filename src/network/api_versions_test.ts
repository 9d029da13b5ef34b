import assert from "node:assert/strict";
import { KafkaError, UnsupportedVersionError } from "../errors/mod.ts";
import {
  ApiVersionTable,
  compareKafkaVersions,
  isLegacyRelease,
  parseKafkaVersion,
} from "./api_versions.ts";
import { RELEASE_MAX_VERSIONS, TABLE_KEYS } from "./_version_tables.ts";

const api = (apiKey: number, minVersion: number, maxVersion: number) => ({
  apiKey,
  name: `api${apiKey}`,
  minVersion,
  maxVersion,
});

Deno.test("release strings parse and compare", () => {
  assert.deepEqual(parseKafkaVersion("0.10.1.1"), [0, 10, 1, 1]);
  assert.ok(compareKafkaVersions([0, 9], [0, 9, 0, 1]) < 0);
  assert.equal(compareKafkaVersions([2, 8], [2, 8, 0]), 0);
  assert.ok(isLegacyRelease("0.9.0.1"));
  assert.ok(isLegacyRelease("0.8.2"));
  assert.ok(!isLegacyRelease("0.10.0"));
  for (const bad of ["auto", "3", "x.y", "1.2.3.4.5", ""]) {
    assert.throws(() => parseKafkaVersion(bad), KafkaError, bad);
  }
});

Deno.test("fixed tables: 0.8.2 and 0.9.0 serve what pykafka's tables say", () => {
  const t082 = ApiVersionTable.forRelease("0.8.2");
  const ranges = (t: ApiVersionTable) =>
    Object.fromEntries(
      [...t.entries()].map(([k, r]) => [k, `${r.min}-${r.max}`]),
    );
  assert.deepEqual(ranges(t082), {
    0: "0-0",
    1: "0-0",
    2: "0-0",
    3: "0-0",
    8: "0-1",
    9: "0-1",
    10: "0-0",
  });
  assert.equal(t082.hasApiVersions, false);
  const t090 = ApiVersionTable.forRelease("0.9.0.1");
  assert.deepEqual(ranges(t090), {
    0: "0-1",
    1: "0-1",
    2: "0-0",
    3: "0-0",
    8: "0-2",
    9: "0-1",
    10: "0-0",
    11: "0-0",
    12: "0-0",
    13: "0-0",
    14: "0-0",
    15: "0-0",
    16: "0-0",
  });
  assert.equal(t090.pick(api(1, 0, 17)), 1);
  assert.equal(t090.pick(api(3, 0, 13)), 0);
  assert.throws(
    () => t090.pick(api(18, 0, 4)),
    (e) =>
      e instanceof UnsupportedVersionError && /not served/.test(e.message) &&
      /0\.9\.0\.1/.test(e.message),
  );
});

Deno.test("release rows: later releases never serve lower maxima", () => {
  for (let i = 1; i < RELEASE_MAX_VERSIONS.length; i++) {
    const [prevName, prev] = RELEASE_MAX_VERSIONS[i - 1];
    const [name, row] = RELEASE_MAX_VERSIONS[i];
    assert.equal(row.length, TABLE_KEYS.length, name);
    assert.ok(
      compareKafkaVersions(
        parseKafkaVersion(prevName),
        parseKafkaVersion(name),
      ) < 0,
    );
    row.forEach((v, j) => assert.ok(v >= prev[j], `${name} col ${j}`));
  }
  assert.equal(ApiVersionTable.forRelease("2.8.2").range(3)?.max, 11);
  assert.equal(ApiVersionTable.forRelease("3.4.1").range(11)?.max, 9);
  assert.equal(ApiVersionTable.forRelease("9.9.9").range(1)?.max, 18);
  assert.throws(() => ApiVersionTable.forRelease("0.8.1"), KafkaError);
});

Deno.test("4.x release tables carry KIP-896 minimums (Produce >= 3, JoinGroup back to 0 in 4.0.1)", () => {
  const t400 = ApiVersionTable.forRelease("4.0.0");
  assert.deepEqual(t400.range(0), { min: 3, max: 12 });
  assert.deepEqual(t400.range(1), { min: 4, max: 17 });
  assert.deepEqual(t400.range(11), { min: 2, max: 9 });
  assert.deepEqual(ApiVersionTable.forRelease("4.1.0").range(11), {
    min: 0,
    max: 9,
  });
});

Deno.test("broker ranges: highest common version, Produce floor on KIP-896 brokers", () => {
  const b39 = ApiVersionTable.fromBroker([
    { apiKey: 0, minVersion: 0, maxVersion: 11 },
    { apiKey: 1, minVersion: 0, maxVersion: 17 },
    { apiKey: 3, minVersion: 0, maxVersion: 12 },
    { apiKey: 24, minVersion: 0, maxVersion: 5 },
  ]);
  assert.deepEqual(b39.range(0), { min: 0, max: 11 });
  assert.equal(b39.pick(api(0, 0, 13)), 11);
  assert.equal(b39.pick(api(3, 0, 9)), 9);
  assert.equal(
    b39.pick(api(24, 0, 5)),
    3,
    "AddPartitionsToTxn capped at v3 for clients",
  );
  const b4 = ApiVersionTable.fromBroker([
    { apiKey: 0, minVersion: 0, maxVersion: 13 },
    { apiKey: 1, minVersion: 4, maxVersion: 18 },
  ]);
  assert.deepEqual(b4.range(0), { min: 3, max: 13 });
  assert.throws(
    () => b4.pick(api(0, 0, 2)),
    (e) => e instanceof UnsupportedVersionError && /v3-13/.test(e.message),
  );
  assert.throws(() => b4.pick(api(1, 0, 3)), UnsupportedVersionError);
  // ListOffsets min 1 alone is enough to tell a KIP-896 broker.
  const b4b = ApiVersionTable.fromBroker([
    { apiKey: 0, minVersion: 0, maxVersion: 12 },
    { apiKey: 2, minVersion: 1, maxVersion: 10 },
  ]);
  assert.equal(b4b.range(0)?.min, 3);
});

Deno.test("a configured release >= 0.10 caps what the broker advertises", () => {
  const b = ApiVersionTable.fromBroker([
    { apiKey: 0, minVersion: 0, maxVersion: 11 },
    { apiKey: 3, minVersion: 0, maxVersion: 12 },
    { apiKey: 17, minVersion: 0, maxVersion: 1 },
    { apiKey: 36, minVersion: 0, maxVersion: 2 },
    { apiKey: 32, minVersion: 0, maxVersion: 4 },
  ], { release: "0.10.2" });
  assert.deepEqual(b.range(0), { min: 0, max: 2 });
  assert.deepEqual(b.range(3), { min: 0, max: 2 });
  assert.deepEqual(b.range(17), { min: 0, max: 0 });
  assert.equal(b.has(36), false, "SaslAuthenticate did not exist in 0.10.2");
  assert.deepEqual(
    b.range(32),
    { min: 0, max: 4 },
    "APIs outside the table are left alone",
  );
  assert.equal(b.release, "0.10.2");
});
