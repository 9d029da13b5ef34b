// produce and consume end to end as subprocesses: byte-exact round trips
// (binary values through JSON lines and base64), kcat-style delimited input,
// start positions, counts and output formats.
import assert from "node:assert/strict";
import {
  b64,
  cli,
  createTopic,
  deleteTopics,
  enc,
  HOSTS4,
  jsonLines,
  ok,
  unb64,
} from "./_helpers.ts";

interface Rec {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  timestampType: string | null;
  key: string | null;
  value: string | null;
  headers: [string, string | null][];
  encoding?: string;
}

const decBom = new TextDecoder("utf-8", { ignoreBOM: true });

function isUtf8(b: Uint8Array | null): boolean {
  if (b === null) return true;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}

function field(r: Rec, v: string | null): Uint8Array | null {
  if (v === null) return null;
  return r.encoding === "base64" ? unb64(v) : enc.encode(v);
}

Deno.test("cli: produce --input json from stdin, consume -J back byte-exact (binary, empty, null, headers)", async () => {
  const topic = await createTopic("json-rt");
  try {
    const all = new Uint8Array(256).map((_, i) => i);
    const records: {
      key: Uint8Array | null;
      value: Uint8Array | null;
      headers: [string, Uint8Array | null][];
    }[] = [
      {
        key: enc.encode("text"),
        value: enc.encode("héllo wörld ✓"),
        headers: [],
      },
      {
        key: enc.encode("all-bytes"),
        value: all,
        headers: [["h", all.slice(0, 16)]],
      },
      {
        key: enc.encode("invalid-utf8"),
        value: new Uint8Array([0xc3, 0x28, 0xff, 0xfe]),
        headers: [],
      },
      {
        key: enc.encode("newlines"),
        value: enc.encode("a\nb\r\nc\n"),
        headers: [["t", enc.encode("x\ny")]],
      },
      {
        key: enc.encode("bom"),
        value: new Uint8Array([0xef, 0xbb, 0xbf, 0x41]),
        headers: [],
      },
      {
        key: enc.encode("empty"),
        value: new Uint8Array(0),
        headers: [["e", new Uint8Array(0)]],
      },
      { key: enc.encode("tombstone"), value: null, headers: [["n", null]] },
      { key: null, value: enc.encode("no key"), headers: [] },
      {
        key: new Uint8Array([0, 1, 2, 0xff]),
        value: enc.encode("binary key"),
        headers: [],
      },
    ];
    // Half the lines base64, half text where possible.
    const lines = records.map((r, i) => {
      const text = i % 2 === 0 &&
        [r.key, r.value, ...r.headers.map(([, v]) => v)].every(isUtf8);
      const f = (b: Uint8Array | null) =>
        b === null ? null : text ? decBom.decode(b) : b64(b);
      return JSON.stringify({
        key: f(r.key),
        value: f(r.value),
        headers: r.headers.map(([k, v]) => [k, f(v)]),
        ...(text ? {} : { encoding: "base64" }),
      });
    });
    await ok(["produce", topic, "--input", "json"], {
      stdin: lines.join("\n") + "\n",
    });
    const r = await ok(["consume", topic, "-J"]);
    const got = jsonLines<Rec>(r.stdout);
    assert.equal(got.length, records.length);
    const byKey = new Map(
      got.map((g) => [b64(field(g, g.key) ?? enc.encode("<null>")), g]),
    );
    for (const want of records) {
      const g = byKey.get(b64(want.key ?? enc.encode("<null>")));
      assert.ok(g, `record with key ${want.key} missing`);
      assert.deepEqual(field(g, g.value), want.value);
      assert.deepEqual(
        g.headers.map(([k, v]) => [k, field(g, v)]),
        want.headers,
      );
      assert.equal(g.topic, topic);
      assert.equal(g.timestampType, "CreateTime");
      assert.ok(g.timestamp > Date.now() - 600_000);
    }
    // Text records come back as text, binary ones as base64.
    assert.equal(byKey.get(b64(enc.encode("text")))!.encoding, undefined);
    assert.equal(byKey.get(b64(enc.encode("text")))!.value, "héllo wörld ✓");
    assert.equal(
      byKey.get(b64(enc.encode("invalid-utf8")))!.encoding,
      "base64",
    );
    assert.equal(byKey.get(b64(enc.encode("bom")))!.value, "\ufeffA");
    // --binary base64: every record base64; and consume -J | produce --input json copies.
    const r64 = await ok(["consume", topic, "-J", "--binary", "base64"]);
    assert.ok(jsonLines<Rec>(r64.stdout).every((g) => g.encoding === "base64"));
    const copy = await createTopic("json-copy");
    try {
      await ok(["produce", copy, "--input", "json"], { stdin: r64.out });
      const back = jsonLines<Rec>((await ok(["consume", copy, "-J"])).stdout);
      const norm = (rs: Rec[]) =>
        rs.map((g) =>
          JSON.stringify([
            g.partition,
            g.offset,
            g.timestamp,
            b64(field(g, g.key) ?? new Uint8Array()),
            g.key === null,
            g.value === null ? null : b64(field(g, g.value)!),
            g.headers.map((
              [k, v],
            ) => [k, v === null ? null : b64(field(g, v)!)]),
          ])
        ).sort();
      // Same partitions, offsets and timestamps: the JSON carried them.
      assert.deepEqual(norm(back), norm(got));
    } finally {
      await deleteTopics([copy]);
    }
  } finally {
    await deleteTopics([topic]);
  }
});

Deno.test("cli: delimited stdin (-K, -H, -D, -Z, empty lines) and --value-format base64, consumed raw and as base64", async () => {
  const topic = await createTopic("lines", 1);
  try {
    await ok(["produce", topic, "-K", ":", "-H", "src=cli", "-H", "empty="], {
      stdin: "k1:v1\nno key here\n\nk2:\n:only value\nlast:no newline",
    });
    const r = await ok([
      "consume",
      topic,
      "-f",
      "%o|%k|%K|%s|%S|%h\\n",
    ]);
    assert.equal(
      r.stdout,
      [
        "0|k1|2|v1|2|src=cli,empty=",
        "1||-1|no key here|11|src=cli,empty=",
        "2|k2|2||0|src=cli,empty=",
        "3||0|only value|10|src=cli,empty=",
        "4|last|4|no newline|10|src=cli,empty=",
        "",
      ].join("\n"),
    );
    // -D and -Z: empty records become null values.
    await ok(["produce", topic, "-D", ";", "-Z"], { stdin: "a;;b;" });
    const z = await ok(["consume", topic, "-o", "5", "-Z", "-f", "%s,%S\\n"]);
    assert.equal(z.stdout, "a,1\nNULL,-1\nb,1\n");
    // Binary values through base64 lines; raw output byte-exact.
    const values = Array.from({ length: 50 }, (_, i) => {
      const v = new Uint8Array(1 + i * 7);
      crypto.getRandomValues(v);
      return v;
    });
    await ok(["produce", topic, "--value-format", "base64"], {
      stdin: values.map(b64).join("\n") + "\n",
    });
    const b = await ok(["consume", topic, "-o", "8", "--binary", "base64"]);
    assert.deepEqual(b.stdout.trimEnd().split("\n"), values.map(b64));
    // Raw output with a NUL delimiter, split back into the same bytes.
    const raw = await ok([
      "consume",
      topic,
      "-o",
      "8",
      "-D",
      "\\x00\\xff\\x00",
    ]);
    const pieces: Uint8Array[] = [];
    let start = 0;
    const out = raw.out;
    for (let i = 0; i + 3 <= out.length;) {
      if (out[i] === 0 && out[i + 1] === 0xff && out[i + 2] === 0) {
        pieces.push(out.slice(start, i));
        start = i += 3;
      } else i++;
    }
    assert.equal(start, out.length);
    assert.deepEqual(pieces, values);
  } finally {
    await deleteTopics([topic]);
  }
});

Deno.test("cli: consume positions (-o N, -N, time, end), --count, -p, JSON lines parse", async () => {
  const topic = await createTopic("pos", 2);
  try {
    // Recent: retention (7 days) would delete older records.
    const t0 = Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000;
    const lines = [];
    for (let p = 0; p < 2; p++) {
      for (let i = 0; i < 10; i++) {
        lines.push(JSON.stringify({
          key: `p${p}-${i}`,
          value: `v${i}`,
          partition: p,
          timestamp: t0 + i * 60_000,
        }));
      }
    }
    await ok(["produce", topic, "--input", "json"], {
      stdin: lines.join("\n"),
    });
    const keys = (s: string) => s.trimEnd().split("\n").sort();
    let r = await ok(["consume", topic, "-p", "0", "-o", "7", "-f", "%k\\n"]);
    assert.deepEqual(keys(r.stdout), ["p0-7", "p0-8", "p0-9"]);
    r = await ok(["consume", topic, "-o", "-2", "-f", "%k\\n"]);
    assert.deepEqual(keys(r.stdout), ["p0-8", "p0-9", "p1-8", "p1-9"]);
    r = await ok([
      "consume",
      topic,
      "-o",
      `s@${t0 + 8 * 60_000}`,
      "-f",
      "%k %T\\n",
    ]);
    assert.deepEqual(keys(r.stdout), [
      `p0-8 ${t0 + 480_000}`,
      `p0-9 ${t0 + 540_000}`,
      `p1-8 ${t0 + 480_000}`,
      `p1-9 ${t0 + 540_000}`,
    ]);
    r = await ok([
      "consume",
      topic,
      "-o",
      new Date(t0 + 9 * 60_000).toISOString(),
      "-p",
      "1",
      "-f",
      "%k\\n",
    ]);
    assert.deepEqual(keys(r.stdout), ["p1-9"]);
    r = await ok(["consume", topic, "-o", "end"]);
    assert.equal(r.stdout, "");
    r = await ok(["consume", topic, "-c", "5", "-J"]);
    const recs = jsonLines<Rec>(r.stdout);
    assert.equal(recs.length, 5);
    for (const g of recs) {
      assert.equal(typeof g.offset, "number");
      assert.equal(g.timestampType, "CreateTime");
      assert.match(g.key!, /^p[01]-\d$/);
    }
    // Every line of JSON output parses, one record per line.
    r = await ok(["consume", topic, "--output", "json"]);
    assert.equal(jsonLines(r.stdout).length, 20);
  } finally {
    await deleteTopics([topic]);
  }
});

Deno.test("cli: produce options (lz4, acks all, idempotent, partitioner, file input, --count) on Kafka 4.x", async () => {
  const topic = await createTopic("opts", 3, HOSTS4);
  const file = await Deno.makeTempFile({ suffix: ".txt" });
  try {
    await Deno.writeTextFile(
      file,
      Array.from({ length: 300 }, (_, i) => `key-${i % 7}:value ${i}`).join(
        "\n",
      ),
    );
    await ok([
      "produce",
      topic,
      file,
      "-K",
      ":",
      "-z",
      "lz4",
      "--acks",
      "all",
      "--idempotent",
      "--partitioner",
      "consistent-random",
      "-c",
      "250",
    ], { hosts: HOSTS4 });
    const r = await ok(["consume", topic, "-f", "%p %k\\n"], { hosts: HOSTS4 });
    const lines = r.stdout.trimEnd().split("\n");
    assert.equal(lines.length, 250);
    // One key, one partition.
    const where = new Map<string, string>();
    for (const l of lines) {
      const [p, k] = l.split(" ");
      assert.equal(where.get(k) ?? p, p, `key ${k} in two partitions`);
      where.set(k, p);
    }
    assert.equal(where.size, 7);
  } finally {
    await Deno.remove(file);
    await deleteTopics([topic], HOSTS4);
  }
});

Deno.test("cli: a group resumes where it committed; --no-commit leaves it", async () => {
  const topic = await createTopic("grp", 1);
  const group = `${topic}-g`;
  try {
    await ok(["produce", topic], { stdin: "1\n2\n3\n4\n5\n" });
    let r = await ok(["consume", topic, "-g", group, "-c", "2"]);
    assert.equal(r.stdout, "1\n2\n");
    r = await ok(["consume", topic, "-g", group, "-c", "2", "--no-commit"]);
    assert.equal(r.stdout, "3\n4\n");
    r = await ok(["consume", topic, "-g", group]);
    assert.equal(r.stdout, "3\n4\n5\n");
    r = await ok(["consume", topic, "-g", group]);
    assert.equal(r.stdout, "");
    r = await ok(["consume", topic, "-g", group, "-o", "beginning", "-c", "1"]);
    assert.equal(r.stdout, "1\n");
  } finally {
    await deleteTopics([topic]);
    await cli(["groups", "delete", "-q", group]);
  }
});
