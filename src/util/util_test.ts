import assert from "node:assert/strict";
import { KafkaError } from "../errors/kafka_error.ts";
import { decodeBase64, encodeBase64 } from "./base64.ts";
import { errorText } from "./error_text.ts";
import { describeValue, omitRules, rules, validateOptions } from "./options.ts";
import { backoffDelay, retry, RetrySchedule } from "./retry.ts";

const retriable = () => new KafkaError("busy", { retriable: true });

Deno.test("retry: retries retriable errors up to the attempts, then throws the last", async () => {
  let calls = 0;
  await assert.rejects(
    retry(() => {
      calls++;
      throw retriable();
    }, { attempts: 3, backoff: { initialMs: 1 } }),
    /busy/,
  );
  assert.equal(calls, 3);
});

Deno.test("retry: a non-retriable error ends at once; onRetry runs between attempts", async () => {
  let calls = 0;
  const hooks: number[] = [];
  await assert.rejects(
    retry(() => {
      calls++;
      if (calls === 1) throw retriable();
      throw new TypeError("bad");
    }, {
      attempts: 10,
      backoff: { initialMs: 1 },
      onRetry: (_e, n) => {
        hooks.push(n);
      },
    }),
    TypeError,
  );
  assert.equal(calls, 2);
  assert.deepEqual(hooks, [1]);
});

Deno.test("retry: the deadline bounds the total time; the custom predicate is used", async () => {
  const t0 = Date.now();
  let calls = 0;
  await assert.rejects(
    retry(() => {
      calls++;
      throw new Error("flaky");
    }, {
      timeoutMs: 150,
      retriable: () => true,
      backoff: { initialMs: 20, maxMs: 40 },
    }),
    /flaky/,
  );
  const took = Date.now() - t0;
  assert.ok(took >= 140 && took < 1500, `took ${took} ms`);
  assert.ok(calls >= 3, `calls ${calls}`);
});

Deno.test("retry: an abort during the backoff rejects with the signal's reason", async () => {
  const c = new AbortController();
  const p = retry(() => {
    queueMicrotask(() => c.abort(new DOMException("stop", "AbortError")));
    throw retriable();
  }, { attempts: 5, backoff: { initialMs: 10_000 }, signal: c.signal });
  await assert.rejects(
    p,
    (e) => e instanceof DOMException && e.name === "AbortError",
  );
});

Deno.test("RetrySchedule.next gives delays until the attempts are used up", () => {
  const s = new RetrySchedule({
    attempts: 3,
    backoff: { initialMs: 100, jitter: 0 },
  });
  assert.equal(s.next(retriable()), 100);
  assert.equal(s.next(retriable()), 200);
  assert.equal(s.next(retriable()), undefined);
  assert.equal(s.failures, 3);
  assert.equal(new RetrySchedule().next(new Error("x")), undefined);
  assert.equal(
    new RetrySchedule({ timeoutMs: 0 }).next(retriable()),
    undefined,
  );
});

Deno.test("RetrySchedule.pause: true after each wait while the policy allows, then false at once", async () => {
  const s = new RetrySchedule({
    attempts: 3,
    retriable: () => true,
    backoff: { initialMs: 5, jitter: 0 },
  });
  const t0 = performance.now();
  assert.equal(await s.pause(), true);
  assert.equal(await s.pause(new Error("any")), true);
  const waited = performance.now() - t0;
  assert.ok(waited >= 12, `5 + 10 ms of backoff took ${waited} ms`);
  const t1 = performance.now();
  assert.equal(await s.pause(), false);
  assert.ok(performance.now() - t1 < 15, "giving up does not wait");
  assert.equal(s.failures, 3);
  // The default predicate: no error (or a non-retriable one) ends it.
  assert.equal(await new RetrySchedule({ attempts: 5 }).pause(), false);
  assert.equal(
    await new RetrySchedule({ attempts: 5 }).pause(new TypeError("bad")),
    false,
  );
});

Deno.test("RetrySchedule.pause/wait with an aborted signal: the policy decides first, else the signal's reason", async () => {
  const c = new AbortController();
  const reason = new DOMException("stop", "AbortError");
  c.abort(reason);
  const policy = { attempts: 5, signal: c.signal };
  // An error the policy does not retry (the attempt's own abort error) stands.
  const own = new TypeError("the request was aborted");
  await assert.rejects(new RetrySchedule(policy).wait(own), (e) => e === own);
  assert.equal(await new RetrySchedule(policy).pause(own), false);
  // A retriable one would wait: the signal's reason instead.
  await assert.rejects(
    new RetrySchedule(policy).wait(retriable()),
    (e) => e === reason,
  );
  // An abort during the wait ends it at once.
  const d = new AbortController();
  const s = new RetrySchedule({
    retriable: () => true,
    backoff: { initialMs: 10_000 },
    signal: d.signal,
  });
  const t0 = performance.now();
  const p = s.pause();
  setTimeout(() => d.abort(reason), 5);
  await assert.rejects(p, (e) => e === reason);
  assert.ok(performance.now() - t0 < 1000);
});

Deno.test("retry: an attempt failing with a non-retriable error after an abort rejects with that error; onRetry does not run after an abort", async () => {
  const c = new AbortController();
  const own = new TypeError("the request was aborted");
  let hooks = 0;
  await assert.rejects(
    retry(() => {
      c.abort(new DOMException("stop", "AbortError"));
      throw own;
    }, { attempts: 5, signal: c.signal, onRetry: () => void hooks++ }),
    (e) => e === own,
  );
  const d = new AbortController();
  await assert.rejects(
    retry(() => {
      d.abort(new DOMException("stop", "AbortError"));
      throw retriable();
    }, { attempts: 5, signal: d.signal, onRetry: () => void hooks++ }),
    (e) => e instanceof DOMException && e.name === "AbortError",
  );
  assert.equal(hooks, 0);
});

Deno.test("backoffDelay: exponential, linear, capped, jittered within bounds", () => {
  const none = { initialMs: 100, maxMs: 5000, jitter: 0 };
  assert.deepEqual(
    [0, 1, 2, 3, 6, 10].map((a) => backoffDelay(a, none)),
    [100, 200, 400, 800, 5000, 5000],
  );
  assert.deepEqual(
    [0, 1, 2].map((a) => backoffDelay(a, { ...none, linear: true })),
    [100, 200, 300],
  );
  for (let i = 0; i < 100; i++) {
    const d = backoffDelay(2, { initialMs: 100, jitter: 0.2 });
    assert.ok(d >= 320 && d <= 480, String(d));
  }
});

Deno.test("validateOptions: unknown names and wrong types are TypeErrors, ranges RangeErrors, naming owner, option and value", () => {
  const r = {
    lingerMs: rules.ms(),
    acks: rules.oneOf([-1, 0, 1], "-1, 0 or 1"),
  };
  assert.throws(
    () => validateOptions("Producer", { lingerMS: 1 }, r),
    (e) =>
      e instanceof TypeError &&
      /Producer: unknown option "lingerMS"/.test(e.message) &&
      /did you mean lingerMs\?/.test(e.message),
  );
  assert.throws(
    () => validateOptions("Producer", { lingerMs: "5" }, r),
    (e) =>
      e instanceof TypeError &&
      /Producer option lingerMs must be .* got the string "5"/.test(e.message),
  );
  assert.throws(
    () => validateOptions("Producer", { lingerMs: -1 }, r),
    (e) => e instanceof RangeError && /lingerMs .* got -1$/.test(e.message),
  );
  assert.throws(
    () => validateOptions("Producer", { acks: 2 }, r),
    (e) =>
      e instanceof RangeError &&
      /acks must be -1, 0 or 1, got 2/.test(e.message),
  );
  assert.throws(() => validateOptions("Producer", 5, r), TypeError);
  assert.deepEqual(validateOptions("Producer", undefined, r), {
    lingerMs: undefined,
    acks: undefined,
  });
  assert.deepEqual(validateOptions("X", { other: 1 }, r, ["other"]), {
    lingerMs: undefined,
    acks: undefined,
  });
});

Deno.test("validateOptions: nested objects name the path; arrays name the index; the object itself is returned", () => {
  const inner = {
    mechanism: rules.required(rules.oneOf(["PLAIN"], `"PLAIN"`), `"PLAIN"`),
    password: rules.secret(),
  };
  const r = {
    sasl: rules.object(inner, "a SaslConfig object", (c, owner, name) => {
      if (c.password === "") {
        throw new RangeError(`${owner} option ${name}: empty password`);
      }
    }),
    partitions: rules.array(rules.int(0), "an array of partition ids", 1),
  };
  const sasl = { mechanism: "PLAIN", password: "pw" };
  assert.equal(validateOptions("C", { sasl }, r).sasl, sasl); // same object
  const cases: [unknown, ErrorConstructor, RegExp][] = [
    [
      { sasl: { mechanizm: "PLAIN" } },
      TypeError,
      /^C: unknown option "sasl\.mechanizm" \(did you mean sasl\.mechanism\?\); known options: sasl\.mechanism, sasl\.password$/,
    ],
    [
      { sasl: {} },
      TypeError,
      /^C option sasl\.mechanism must be "PLAIN", got undefined$/,
    ],
    [
      { sasl: { mechanism: "X" } },
      RangeError,
      /sasl\.mechanism .* got the string "X"$/,
    ],
    [
      { sasl: "PLAIN" },
      TypeError,
      /^C option sasl must be a SaslConfig object, got the string "PLAIN"$/,
    ],
    [
      { sasl: { mechanism: "PLAIN", password: "" } },
      RangeError,
      /^C option sasl: empty password$/,
    ],
    [
      { partitions: [0, -1] },
      RangeError,
      /^C option partitions\[1\] must be 0 or a positive integer, got -1$/,
    ],
    [
      { partitions: [0, "1"] },
      TypeError,
      /partitions\[1\] .* got the string "1"$/,
    ],
    [
      { partitions: [] },
      RangeError,
      /partitions must be an array of partition ids of at least 1 item, got an Array of 0 items$/,
    ],
    [{ partitions: 3 }, TypeError, /partitions must be an array/],
  ];
  for (const [given, type, message] of cases) {
    assert.throws(
      () => validateOptions("C", given, r),
      (e) => e instanceof type && message.test((e as Error).message),
      JSON.stringify(given),
    );
  }
  assert.deepEqual(validateOptions("C", { partitions: [2, 1] }, r).partitions, [
    2,
    1,
  ]);
});

Deno.test("validateOptions: secrets are never shown; parse() explains; long strings are cut", () => {
  const r = {
    password: rules.secret(),
    port: rules.parse(rules.string(true), "a port", (v) => {
      const n = Number(v);
      if (!Number.isInteger(n)) throw new Error("not a number");
      return n;
    }),
    name: rules.string(true),
  };
  assert.throws(
    () => validateOptions("C", { password: 123456 }, r),
    (e) =>
      e instanceof TypeError && !e.message.includes("123456") &&
      /password must be a string, got a value of type number/.test(e.message),
  );
  assert.equal(validateOptions("C", { port: "99" }, r).port, 99);
  assert.throws(
    () => validateOptions("C", { port: "x" }, r),
    (e) =>
      e instanceof RangeError &&
      e.message ===
        'C option port must be a port, got the string "x" (not a number)',
  );
  assert.throws(() => validateOptions("C", { name: "  " }, r), RangeError);
  assert.match(
    describeValue("x".repeat(500)),
    /^a string of 500 characters starting "x{40}"$/,
  );
  assert.deepEqual(Object.keys(omitRules(r, "password")), ["port", "name"]);
  // Tables combine: another class's rules plus its own, in one call.
  assert.throws(
    () => validateOptions("D", { nam: "a" }, { ...r, extra: rules.bool() }),
    (e) =>
      e instanceof TypeError &&
      /^D: unknown option "nam" \(did you mean name\?\)/.test(e.message),
  );
});

Deno.test("errorText and base64 helpers", () => {
  assert.equal(errorText(new RangeError("r")), "RangeError: r");
  assert.equal(errorText("s"), "s");
  const bytes = Uint8Array.from(
    { length: 100_000 },
    (_, i) => (i * 7919) & 255,
  );
  assert.deepEqual(decodeBase64(encodeBase64(bytes)), bytes);
  assert.throws(() => decodeBase64("!!!"), SyntaxError);
  assert.throws(
    () => decodeBase64("!!!", () => new RangeError("custom")),
    RangeError,
  );
});
