"""Shared helpers for the Python peer scripts of bench/e2e (same protocol as
_common.mjs): the spec arrives as JSON in argv[1]; one result line goes to
stdout: {"result": "denokafka-bench/1", "records": N, "bytes": B,
"elapsedMs": T, ...} or {"result": ..., "unavailable": "reason"}."""

import json
import math
import os
import random
import sys
import time

RESULT_TAG = "denokafka-bench/1"


def read_spec():
    if len(sys.argv) < 2:
        raise SystemExit("usage: <script> '<spec json>'")
    return json.loads(sys.argv[1])


def emit(result):
    out = {"result": RESULT_TAG}
    out.update(result)
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()


def unavailable(reason):
    emit({"unavailable": reason})
    os._exit(3)


def now_ms():
    return time.perf_counter() * 1000.0


def load_payloads(path):
    with open(path, "rb") as f:
        data = f.read()
    return [line for line in data.split(b"\n") if line]


def percentiles(samples):
    if not samples:
        return None
    s = sorted(samples)
    n = len(s)

    def at(q):
        return s[min(n - 1, max(0, math.ceil(q * n) - 1))]

    return {"p50": round(at(0.5), 3), "p99": round(at(0.99), 3),
            "max": round(s[-1], 3), "count": n}


def paced(rate, count, send, pump=None, stop=None):
    """Calls send(i) for i in 0..count-1 at `rate` per second; pump() is
    called between ticks (to poll a consumer or delivery reports)."""
    t0 = time.perf_counter()
    i = 0
    while i < count and not (stop and stop()):
        due = min(count, int((time.perf_counter() - t0) * rate) + 1)
        while i < due:
            send(i)
            i += 1
        if pump:
            pump()
        else:
            time.sleep(0.001)
    return i


def e2e_value(tag, seq, payload, size):
    head = f"{tag}:{seq}:".encode()
    body = payload[: max(0, size - len(head))]
    return head + body


def parse_e2e(tag, value):
    if not value:
        return None
    t = tag.encode() + b":"
    if not value.startswith(t):
        return None
    end = value.find(b":", len(t))
    if end < 0:
        return None
    try:
        return int(value[len(t):end])
    except ValueError:
        return None


class E2eSession:
    """End-to-end latency protocol of bench/e2e: warm-up records at the target
    rate until spec['warmupMs'] after the consumer (which starts at the latest
    offsets) saw the first, then spec['records'] measured records; latency = time seen by the consumer - time of the produce call."""

    WARM = 1_000_000_000

    def __init__(self, spec, payloads):
        self.spec = spec
        self.payloads = payloads
        self.tag = "e%x" % random.getrandbits(40)
        self.total = spec["records"]
        self.sent_at = [0.0] * self.total
        self.seen = bytearray(self.total)
        self.latencies = []
        self.warm_first_seen_at = None
        self.measured_seen = 0

    def received(self, value):
        seq = parse_e2e(self.tag, value)
        if seq is None:
            return
        t = now_ms()
        if seq >= self.WARM:
            if self.warm_first_seen_at is None:
                self.warm_first_seen_at = t
            return
        if seq < self.total and not self.seen[seq]:
            self.seen[seq] = 1
            self.measured_seen += 1
            self.latencies.append(t - self.sent_at[seq])

    def run(self, send, pump):
        spec, size, payloads = self.spec, self.spec["size"], self.payloads
        rate = spec["rate"]
        deadline = now_ms() + spec.get("warmupTimeoutMs", 30000)
        w = [0]

        def warm(_i):
            send(e2e_value(self.tag, self.WARM + w[0], payloads[w[0] % len(payloads)], size))
            w[0] += 1

        warmup_ms = spec.get("warmupMs", 1000)

        def warming():
            return self.warm_first_seen_at is None or now_ms() - self.warm_first_seen_at < warmup_ms

        while warming():
            if now_ms() > deadline:
                raise RuntimeError("consumer saw no warm-up record in time")
            paced(rate, max(1, rate // 100), warm, pump)
            end = now_ms() + 10
            while now_ms() < end:
                pump()

        def measured(i):
            v = e2e_value(self.tag, i, payloads[i % len(payloads)], size)
            self.sent_at[i] = now_ms()
            send(v)

        t0 = now_ms()
        paced(rate, self.total, measured, pump)
        send_end = now_ms()
        deadline = send_end + spec.get("drainTimeoutMs", 15000)
        while self.measured_seen < self.total and now_ms() < deadline:
            pump()
        return {
            "records": self.measured_seen,
            "missing": self.total - self.measured_seen,
            "bytes": self.measured_seen * size,
            "elapsedMs": send_end - t0,
            "warmupRecords": w[0],
            "latencyMs": percentiles(self.latencies),
        }
