"""kafka-python (pure Python) peer for bench/e2e.

Settings: linger_ms and batch_size from the spec (5 ms, 1 MiB), acks and
compression_type (None or "lz4", via the `lz4` package) from the scenario,
idempotence off. Consume: consumer group,
auto_offset_reset="earliest", auto commit off, poll(max_records=10000).
"""
import sys

from _common import (E2eSession, emit, load_payloads, now_ms, paced, percentiles,
                     read_spec, unavailable)

spec = read_spec()
try:
    import kafka
    from kafka import KafkaConsumer, KafkaProducer
except Exception as e:  # noqa: BLE001
    unavailable(f"cannot import kafka (kafka-python): {e}")

VERSION = f"kafka-python {kafka.__version__} on Python {sys.version.split()[0]}"

if spec["mode"] == "probe":
    emit({"available": True, "version": VERSION})
    sys.exit(0)

payloads = load_payloads(spec["payloadFile"])
topic = spec["topic"]


def new_producer():
    return KafkaProducer(
        bootstrap_servers=spec["bootstrap"].split(","),
        acks="all" if spec["acks"] == -1 else spec["acks"],
        linger_ms=spec["lingerMs"],
        batch_size=spec["batchBytes"],
        compression_type=None if spec["compression"] == "none" else spec["compression"],
        enable_idempotence=False,
    )


def produce():
    p = new_producer()
    p.partitions_for(topic)
    n, npay = spec["records"], len(payloads)
    errors = [0]

    def on_err(_e):
        errors[0] += 1

    t0 = now_ms()
    for i in range(n):
        p.send(topic, payloads[i % npay]).add_errback(on_err)
    p.flush(timeout=300)
    elapsed = now_ms() - t0
    p.close()
    ok = n - errors[0]
    return {"records": ok, "errors": errors[0], "bytes": ok * spec["size"], "elapsedMs": elapsed}


def latency():
    p = new_producer()
    p.partitions_for(topic)
    samples, errors = [], [0]

    def send(i):
        start = now_ms()
        f = p.send(topic, payloads[i % len(payloads)])
        f.add_callback(lambda _md: samples.append(now_ms() - start))
        f.add_errback(lambda _e: errors.__setitem__(0, errors[0] + 1))

    t0 = now_ms()
    paced(spec["rate"], spec["records"], send)
    p.flush(timeout=60)
    elapsed = now_ms() - t0
    p.close()
    return {"records": len(samples), "errors": errors[0], "bytes": len(samples) * spec["size"],
            "elapsedMs": elapsed, "latencyMs": percentiles(samples)}


def new_consumer(**extra):
    opts = dict(
        bootstrap_servers=spec["bootstrap"].split(","),
        group_id=spec["group"],
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    opts.update(extra)
    return KafkaConsumer(topic, **opts)


def consume():
    c = new_consumer()
    t0 = now_ms()
    count = nbytes = 0
    want = spec["records"]
    while count < want:
        for recs in c.poll(timeout_ms=1000, max_records=10000).values():
            for r in recs:
                count += 1
                nbytes += len(r.value) if r.value else 0
    elapsed = now_ms() - t0
    c.close()
    return {"records": count, "bytes": nbytes, "elapsedMs": elapsed}


def e2e():
    p = new_producer()
    c = new_consumer(fetch_max_wait_ms=100, auto_offset_reset="latest")
    session = E2eSession(spec, payloads)

    def pump():
        for recs in c.poll(timeout_ms=1, max_records=1000).values():
            for r in recs:
                session.received(r.value)

    result = session.run(lambda v: p.send(topic, v), pump)
    p.flush(timeout=10)
    p.close()
    c.close()
    return result


modes = {"produce": produce, "consume": consume, "latency": latency, "e2e": e2e}
result = modes[spec["mode"]]()
result["version"] = VERSION
emit(result)
