// The CLI's pure parts without a cluster: the argument parser, kcat
// delimiters and format strings, JSON records, time and offset arguments,
// and delimited / JSON input splitting.
import assert from "node:assert/strict";
import { CompressionType, Message, type MessageInit } from "../../mod.ts";
import { parseArgs } from "../../cli/_args.ts";
import { fromBase64, toBase64, unescapeDelimiter } from "../../cli/_bytes.ts";
import { UsageError } from "../../cli/_errors.ts";
import {
  formatRenderer,
  jsonRecord,
  valueRenderer,
} from "../../cli/_format.ts";
import { delimitedRecords, jsonRecords, split } from "../../cli/_input.ts";
import { parseStart, parseTarget, parseTime } from "../../cli/_positions.ts";
import { latencyStats } from "../../cli/commands/perf.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

const SPEC = {
  flags: [
    { name: "count", short: "c", type: "int" as const, help: "" },
    { name: "key-delimiter", short: "K", type: "string" as const, help: "" },
    { name: "exit", short: "e", type: "boolean" as const, help: "" },
    { name: "quiet", short: "q", type: "boolean" as const, help: "" },
    { name: "header", short: "H", type: "list" as const, help: "" },
    { name: "offset", short: "o", type: "string" as const, help: "" },
    {
      name: "hosts",
      short: "b",
      type: "string" as const,
      help: "",
      env: "KAFKA_HOSTS",
      aliases: ["broker"],
    },
  ],
  positionals: [{ name: "TOPIC", help: "" }, {
    name: "FILE",
    help: "",
    required: false,
  }],
};

Deno.test("cli args: long, short, attached values, clusters, lists, env, --", () => {
  const a = parseArgs(
    [
      "t",
      "-K:",
      "--count=5",
      "-eq",
      "-H",
      "a=1",
      "-Hb=2",
      "-o",
      "-2",
      "--broker",
      "x:1",
      "--",
      "-f",
    ],
    SPEC,
    ["consume"],
    () => "env:9092",
  );
  assert.deepEqual(a.positionals, ["t", "-f"]);
  assert.equal(a.string("key-delimiter"), ":");
  assert.equal(a.number("count"), 5);
  assert.equal(a.bool("exit"), true);
  assert.equal(a.bool("quiet"), true);
  assert.deepEqual(a.list("header"), ["a=1", "b=2"]);
  assert.equal(a.string("offset"), "-2");
  assert.equal(a.string("hosts"), "x:1");
  const b = parseArgs(
    ["t", "--no-exit"],
    SPEC,
    ["consume"],
    (n) => n === "KAFKA_HOSTS" ? "env:9092" : undefined,
  );
  assert.equal(b.string("hosts"), "env:9092");
  assert.equal(b.bool("exit"), false);
  assert.equal(b.has("exit"), true);
  // A negative number is a positional where no flag takes it.
  assert.deepEqual(parseArgs(["-2h"], SPEC, []).positionals, ["-2h"]);
});

Deno.test("cli args: usage errors", () => {
  const bad: [string[], RegExp][] = [
    [["t", "--cout", "1"], /unknown flag --cout \(did you mean --count\?\)/],
    [["t", "-x"], /unknown flag -x/],
    [["t", "-c", "1.5"], /-c takes an integer/],
    [["t", "--count"], /--count needs a value/],
    [["t", "--exit=maybe"], /--exit is a switch/],
    [[], /missing TOPIC/],
    [["t", "f", "extra"], /unexpected argument "extra"/],
  ];
  for (const [argv, re] of bad) {
    assert.throws(() => parseArgs(argv, SPEC, ["consume"]), (e) => {
      assert.ok(e instanceof UsageError);
      assert.match(e.message, re);
      assert.deepEqual(e.command, ["consume"]);
      return true;
    });
  }
  // --help skips the positional checks.
  assert.equal(parseArgs(["--help"], SPEC, []).bool("help"), true);
});

Deno.test("cli bytes: kcat delimiters and strict base64", () => {
  assert.deepEqual(unescapeDelimiter("\\n"), new Uint8Array([10]));
  assert.deepEqual(
    unescapeDelimiter("a\\t\\x00\\xff\\\\"),
    new Uint8Array([97, 9, 0, 255, 92]),
  );
  assert.deepEqual(unescapeDelimiter("é"), enc.encode("é"));
  const all = new Uint8Array(256).map((_, i) => i);
  assert.deepEqual(fromBase64(toBase64(all)), all);
  assert.deepEqual(fromBase64("YWI"), enc.encode("ab"));
  assert.equal(fromBase64("not base64!"), undefined);
  assert.equal(fromBase64("YW=I"), undefined);
});

type Init = MessageInit<Uint8Array | null, Uint8Array | null>;

function message(init: Partial<Init> = {}): Message {
  return new Message<Uint8Array | null, Uint8Array | null>({
    value: enc.encode("v"),
    partitionKey: enc.encode("k"),
    offset: 7,
    partitionId: 2,
    topic: "t",
    timestamp: 1_700_000_000_000,
    compressionType: CompressionType.NONE,
    protocolVersion: 2,
    headers: [["a", enc.encode("1")], ["b", null]],
    ...init,
  });
}

function join(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

Deno.test("cli format: kcat tokens, escapes, nulls, base64", () => {
  const none = new Uint8Array(0);
  const r = formatRenderer(
    "%t/%p/%o %k=%s (%K,%S) %T [%h] 100%%\\t\\x41\\n",
    "raw",
    none,
  );
  assert.equal(
    dec.decode(join(r(message()))),
    "t/2/7 k=v (1,1) 1700000000000 [a=1,b=] 100%\tA\n",
  );
  const nulls = message({ value: null, partitionKey: null });
  assert.equal(
    dec.decode(
      join(formatRenderer("%k|%s|%K|%S", "raw", enc.encode("NULL"))(nulls)),
    ),
    "NULL|NULL|-1|-1",
  );
  assert.deepEqual(
    join(
      formatRenderer("%R", "raw", none)(
        message({ value: new Uint8Array(258) }),
      ),
    ),
    new Uint8Array([0, 0, 1, 2]),
  );
  assert.equal(
    dec.decode(
      join(
        formatRenderer("%s", "base64", none)(
          message({ value: new Uint8Array([255, 0]) }),
        ),
      ),
    ),
    "/wA=",
  );
  assert.throws(() => formatRenderer("%z", "raw", none), /unknown token %z/);
  // The default output: value, or key + delimiter + value.
  const v = valueRenderer(new Uint8Array([10]), enc.encode("\t"), "raw", none);
  assert.equal(dec.decode(join(v(message()))), "k\tv\n");
});

Deno.test("cli format: JSON records are text when every field is UTF-8, else base64", () => {
  assert.deepEqual(jsonRecord(message(), "raw"), {
    topic: "t",
    partition: 2,
    offset: 7,
    timestamp: 1_700_000_000_000,
    timestampType: "CreateTime",
    key: "k",
    value: "v",
    headers: [["a", "1"], ["b", null]],
  });
  const bin = jsonRecord(message({ value: new Uint8Array([0xff]) }), "raw");
  assert.equal(bin.encoding, "base64");
  assert.equal(bin.key, "aw==");
  assert.equal(bin.value, "/w==");
  assert.deepEqual(bin.headers, [["a", "MQ=="], ["b", null]]);
  assert.equal(
    jsonRecord(message({ timestamp: -1 }), "raw").timestampType,
    null,
  );
  assert.equal(jsonRecord(message(), "base64").encoding, "base64");
});

Deno.test("cli positions: times, starts and targets", () => {
  const now = Date.UTC(2026, 0, 2, 12);
  assert.equal(parseTime("2026-01-01", now), Date.UTC(2026, 0, 1));
  assert.equal(
    parseTime("2026-01-01T10:30:00", now),
    Date.UTC(2026, 0, 1, 10, 30),
  );
  assert.equal(
    parseTime("2026-01-01T10:30:00+02:00", now),
    Date.UTC(2026, 0, 1, 8, 30),
  );
  assert.equal(parseTime("@1700000000000", now), 1_700_000_000_000);
  assert.equal(parseTime("s@5", now), 5);
  assert.equal(parseTime("-2h", now), now - 7_200_000);
  assert.equal(parseTime("-1.5d", now), now - 129_600_000);
  assert.equal(parseTime("tomorrow", now), undefined);
  assert.deepEqual(parseStart("beginning", []), { kind: "earliest" });
  assert.deepEqual(parseStart("END", []), { kind: "latest" });
  assert.deepEqual(parseStart("stored", []), { kind: "stored" });
  assert.deepEqual(parseStart("42", []), { kind: "offset", offset: 42 });
  assert.deepEqual(parseStart("-10", []), { kind: "fromEnd", count: 10 });
  assert.equal(parseStart("-10m", []).kind, "time");
  assert.deepEqual(parseTarget("0:5,2:7", []), {
    kind: "explicit",
    offsets: new Map([[0, 5], [2, 7]]),
  });
  assert.throws(() => parseTarget("0:5,0:6", []), /given twice/);
  assert.throws(() => parseStart("soon", []), UsageError);
});

async function* from(
  ...chunks: (string | Uint8Array)[]
): AsyncGenerator<Uint8Array> {
  for (const c of chunks) yield typeof c === "string" ? enc.encode(c) : c;
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

Deno.test("cli input: splitting across chunk boundaries, keys, empties, JSON", async () => {
  const pieces = await collect(
    split(from("ab::c", "d:", ":e::", ":"), enc.encode("::")),
  );
  // "ab::cd::e:::" in four chunks: the delimiter spans chunk boundaries.
  assert.deepEqual(pieces.map((p) => dec.decode(p)), ["ab", "cd", "e", ":"]);
  const recs = await collect(delimitedRecords(from("k:v\n\nnokey\n:x\n"), {
    delimiter: enc.encode("\n"),
    keyDelimiter: enc.encode(":"),
    valueBase64: false,
    keyBase64: false,
    headers: [],
    empty: "skip",
  }));
  assert.deepEqual(
    recs.map((
      r,
    ) => [r.key && dec.decode(r.key), r.value && dec.decode(r.value)]),
    [["k", "v"], [null, "nokey"], ["", "x"]],
  );
  const nulls = await collect(delimitedRecords(from("a\n\n"), {
    delimiter: enc.encode("\n"),
    valueBase64: false,
    keyBase64: false,
    headers: [],
    empty: "null",
  }));
  // "a", then the empty record between the two newlines as null.
  assert.deepEqual(nulls.map((r) => r.value && dec.decode(r.value)), [
    "a",
    null,
  ]);
  const json = await collect(jsonRecords(from(
    '{"key":"k","value":"v","headers":{"h":"x"},"partition":1,"timestamp":5}\n',
    '\n{"value":"/w==","encoding":"base64","headers":[["h",null]]}',
  )));
  assert.deepEqual(json[0], {
    key: enc.encode("k"),
    value: enc.encode("v"),
    headers: [["h", enc.encode("x")]],
    partition: 1,
    timestamp: 5,
  });
  assert.deepEqual(json[1], {
    key: null,
    value: new Uint8Array([255]),
    headers: [["h", null]],
  });
  await assert.rejects(
    collect(jsonRecords(from('{"value": 5}'))),
    /line 1: value must be a string or null/,
  );
  await assert.rejects(
    collect(jsonRecords(from('{"value":"%%","encoding":"base64"}'))),
    /not valid base64/,
  );
});

Deno.test("cli perf: latency percentiles", () => {
  const s = latencyStats(
    Float64Array.from({ length: 1000 }, (_, i) => 1000 - i),
  );
  assert.equal(s.max, 1000);
  assert.equal(s.p50, 501);
  assert.equal(s.p99, 991);
  assert.equal(s.avg, 500.5);
  assert.deepEqual(latencyStats(new Float64Array(0)).max, 0);
});
