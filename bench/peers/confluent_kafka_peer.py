"""confluent-kafka (Python binding of librdkafka, the wheel's bundled copy)
peer for bench/e2e.

Settings: linger.ms and batch.size from the spec (5 ms, 1 MiB), acks and
compression.type from the scenario, idempotence off; the producer loop calls
poll(0) to serve delivery callbacks and retries on BufferError (queue full).
Consume: consumer group, auto.offset.reset=earliest, auto commit off, the
batch consume(num_messages=10000) call.
"""
import sys

from _common import (E2eSession, emit, load_payloads, now_ms, paced, percentiles,
                     read_spec, unavailable)

spec = read_spec()
try:
    import confluent_kafka
    from confluent_kafka import Consumer, Producer
except Exception as e:  # noqa: BLE001
    unavailable(f"cannot import confluent_kafka: {e}")

_v = confluent_kafka.version()
VERSION = (f"confluent-kafka {_v[0] if isinstance(_v, tuple) else _v} "
           f"(librdkafka {confluent_kafka.libversion()[0]}) on Python {sys.version.split()[0]}")

if spec["mode"] == "probe":
    emit({"available": True, "version": VERSION})
    sys.exit(0)

payloads = load_payloads(spec["payloadFile"])
topic = spec["topic"]


def producer_conf():
    return {
        "bootstrap.servers": spec["bootstrap"],
        "acks": str(spec["acks"]),
        "linger.ms": spec["lingerMs"],
        "batch.size": spec["batchBytes"],
        "compression.type": spec["compression"],
        "enable.idempotence": False,
    }


def produce():
    p = Producer(producer_conf())
    errors = [0]

    def on_delivery(err, _msg):
        if err is not None:
            errors[0] += 1

    p.list_topics(topic, timeout=10)
    n, size = spec["records"], spec["size"]
    npay = len(payloads)
    t0 = now_ms()
    for i in range(n):
        v = payloads[i % npay]
        while True:
            try:
                p.produce(topic, v, on_delivery=on_delivery)
                break
            except BufferError:
                p.poll(0.005)
        if i % 1000 == 0:
            p.poll(0)
    left = p.flush(120)
    elapsed = now_ms() - t0
    return {"records": n - errors[0] - left, "errors": errors[0], "bytes": (n - errors[0] - left) * size,
            "elapsedMs": elapsed}


def latency():
    p = Producer(producer_conf())
    p.list_topics(topic, timeout=10)
    samples, errors = [], [0]

    def cb(start):
        def on_delivery(err, _msg):
            if err is None:
                samples.append(now_ms() - start)
            else:
                errors[0] += 1
        return on_delivery

    def send(i):
        p.produce(topic, payloads[i % len(payloads)], on_delivery=cb(now_ms()))

    t0 = now_ms()
    paced(spec["rate"], spec["records"], send, pump=lambda: p.poll(0.001))
    p.flush(60)
    elapsed = now_ms() - t0
    return {"records": len(samples), "errors": errors[0], "bytes": len(samples) * spec["size"],
            "elapsedMs": elapsed, "latencyMs": percentiles(samples)}


def consumer_conf(extra=None):
    conf = {
        "bootstrap.servers": spec["bootstrap"],
        "group.id": spec["group"],
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
    }
    conf.update(extra or {})
    return conf


def consume():
    c = Consumer(consumer_conf())
    t0 = now_ms()
    c.subscribe([topic])
    count = nbytes = 0
    want = spec["records"]
    while count < want:
        for m in c.consume(num_messages=10000, timeout=1.0):
            if m.error():
                continue
            count += 1
            v = m.value()
            nbytes += len(v) if v else 0
    elapsed = now_ms() - t0
    c.close()
    return {"records": count, "bytes": nbytes, "elapsedMs": elapsed}


def e2e():
    p = Producer(producer_conf())
    c = Consumer(consumer_conf({"fetch.wait.max.ms": 100, "auto.offset.reset": "latest"}))
    c.subscribe([topic])
    session = E2eSession(spec, payloads)

    def send(v):
        while True:
            try:
                p.produce(topic, v)
                return
            except BufferError:
                p.poll(0.001)

    def pump():
        p.poll(0)
        for m in c.consume(num_messages=1000, timeout=0.001):
            if not m.error():
                session.received(m.value())

    result = session.run(send, pump)
    p.flush(10)
    c.close()
    return result


modes = {"produce": produce, "consume": consume, "latency": latency, "e2e": e2e}
result = modes[spec["mode"]]()
result["version"] = VERSION
emit(result)
