"""pykafka 2.8.0 (pure Python, use_rdkafka=False) peer for bench/e2e: the
design this library brings to Deno.

pykafka speaks Produce v0-v2 and Fetch v0-v2 (MessageSet v0/v1 only), which
Kafka 4.x rejects, so the benchmark cluster is the Kafka 3.9 one.
Settings: broker_version="1.0.0" (its newest table), linger_ms from the spec
(5 ms), min_queued_messages = records per `batchBytes` (its count-based batch
trigger; pykafka has no byte-size knob), max_queued_messages 100000,
block_on_queue_full, required_acks and compression (NONE or LZ4) from the
scenario. Consume: SimpleConsumer without a group, auto_offset_reset
EARLIEST, reset_offset_on_start, its default fetch sizes.
LZ4 needs a one-line patch on today's python-lz4 (see below).
"""
import sys

from _common import (E2eSession, emit, load_payloads, now_ms, paced, percentiles,
                     read_spec, unavailable)

spec = read_spec()
try:
    import pykafka
    from pykafka import KafkaClient
    from pykafka.common import CompressionType, OffsetType
except Exception as e:  # noqa: BLE001
    unavailable(f"cannot import pykafka on Python {sys.version.split()[0]}: {e!r}")

VERSION = f"pykafka {pykafka.__version__} on Python {sys.version.split()[0]}"

# Patch: pykafka calls lz4.frame.compress(buff) with python-lz4's defaults,
# and python-lz4 (>= 1.0, here 4.4.5) writes *linked* blocks by default.
# Kafka's LZ4 reader supports independent blocks only, so every batch whose
# uncompressed size exceeds one 64 KiB block fails on the broker with
# UNKNOWN_SERVER_ERROR (-1) ("Dependent block stream is unsupported"), and
# pykafka drops those records after logging the error. With the patch it
# writes independent blocks, which is what Kafka expects.
if spec.get("compression") == "lz4":
    import lz4.frame
    from pykafka.utils import compression as _compression

    _compression.encode_lz4 = lambda buff: lz4.frame.compress(buff, block_linked=False)
BROKER_VERSION = "1.0.0"

if spec["mode"] == "probe":
    try:
        KafkaClient(hosts=spec["bootstrap"], broker_version=BROKER_VERSION).update_cluster()
    except Exception as e:  # noqa: BLE001
        unavailable(f"pykafka cannot reach the cluster: {e!r}")
    emit({"available": True, "version": VERSION})
    sys.exit(0)

payloads = load_payloads(spec["payloadFile"])
COMPRESSION = {"none": CompressionType.NONE, "lz4": CompressionType.LZ4}


def topic_handle():
    client = KafkaClient(hosts=spec["bootstrap"], broker_version=BROKER_VERSION)
    return client.topics[spec["topic"]]


def producer(topic, **extra):
    opts = dict(
        compression=COMPRESSION[spec["compression"]],
        required_acks=spec["acks"],
        linger_ms=spec["lingerMs"],
        min_queued_messages=max(1, spec["batchBytes"] // spec["size"]),
        max_queued_messages=100000,
        block_on_queue_full=True,
    )
    opts.update(extra)
    return topic.get_producer(**opts)


def produce():
    topic = topic_handle()
    p = producer(topic)
    n, npay = spec["records"], len(payloads)
    t0 = now_ms()
    for i in range(n):
        p.produce(payloads[i % npay])
    p.stop()  # flushes every queued message
    elapsed = now_ms() - t0
    return {"records": n, "bytes": n * spec["size"], "elapsedMs": elapsed}


def latency():
    topic = topic_handle()
    # min_queued_messages=1: a paced producer should not wait for a full batch
    p = producer(topic, delivery_reports=True, min_queued_messages=1)
    starts = {}
    samples, errors = [], [0]

    def drain():
        while True:
            try:
                rep = p.get_delivery_report(block=False)
            except Exception:  # queue.Empty
                return
            if rep is None:
                return
            msg, exc = rep
            start = starts.pop(id(msg.value), None)
            if exc is not None:
                errors[0] += 1
            elif start is not None:
                samples.append(now_ms() - start)

    def send(i):
        v = bytes(payloads[i % len(payloads)])  # a distinct object per record
        starts[id(v)] = now_ms()
        p.produce(v)

    def pump():
        drain()

    t0 = now_ms()
    paced(spec["rate"], spec["records"], send, pump=lambda: (pump(), __import__("time").sleep(0.001)))
    deadline = now_ms() + 30000
    while starts and now_ms() < deadline:
        drain()
    elapsed = now_ms() - t0
    p.stop()
    return {"records": len(samples), "errors": errors[0], "bytes": len(samples) * spec["size"],
            "elapsedMs": elapsed, "latencyMs": percentiles(samples)}


def consume():
    topic = topic_handle()
    t0 = now_ms()
    c = topic.get_simple_consumer(auto_offset_reset=OffsetType.EARLIEST, reset_offset_on_start=True)
    count = nbytes = 0
    want = spec["records"]
    while count < want:
        m = c.consume(block=True)
        if m is None:
            continue
        count += 1
        nbytes += len(m.value) if m.value else 0
    elapsed = now_ms() - t0
    c.stop()
    return {"records": count, "bytes": nbytes, "elapsedMs": elapsed}


def e2e():
    topic = topic_handle()
    p = producer(topic, min_queued_messages=1)
    c = topic.get_simple_consumer(auto_offset_reset=OffsetType.LATEST, reset_offset_on_start=True,
                                  fetch_wait_max_ms=100)
    session = E2eSession(spec, payloads)

    def pump():
        for _ in range(1000):
            m = c.consume(block=False)
            if m is None:
                break
            session.received(m.value)
        __import__("time").sleep(0.0005)

    result = session.run(p.produce, pump)
    p.stop()
    c.stop()
    return result


modes = {"produce": produce, "consume": consume, "latency": latency, "e2e": e2e}
result = modes[spec["mode"]]()
result["version"] = VERSION
emit(result)
