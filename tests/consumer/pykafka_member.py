"""A real pykafka 2.8 BalancedConsumer (ZooKeeper) as a member of a mixed
group, driven by tests/consumer/balanced_pykafka_test.ts.

Run with the interpreter of the pykafka virtual environment
(tests/cluster/interop.ts). Arguments: see --help. Commands arrive on stdin,
one JSON object per line; answers and events go to stdout, one JSON object
per line:

  {"cmd": "state"}             -> {"event": "state", "id": ..., "partitions": [...], "held": {...}}
  {"cmd": "consume", "max": N, "idle_ms": T}
                               -> {"event": "messages", "messages": [[partition, offset, value], ...]}
                                  (stops after N messages or T ms without one)
  {"cmd": "commit"}            -> {"event": "committed"}
  {"cmd": "stop"}              -> {"event": "stopped"} and exits

On start: {"event": "started", "id": <consumer id>}. Errors:
{"event": "error", "error": "..."} (and exit status 1 for fatal ones).
"""
import argparse
import json
import logging
import sys
import time
import traceback

from pykafka import KafkaClient
from pykafka.common import OffsetType
from pykafka.membershipprotocol import RangeProtocol, RoundRobinProtocol


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hosts", required=True)
    ap.add_argument("--zookeeper", required=True)
    ap.add_argument("--topic", required=True)
    ap.add_argument("--group", required=True)
    ap.add_argument("--protocol", default="range", choices=["range", "roundrobin"])
    ap.add_argument("--rebalance-backoff-ms", type=int, default=500)
    ap.add_argument("--rebalance-max-retries", type=int, default=10)
    args = ap.parse_args()
    logging.basicConfig(level=logging.ERROR, stream=sys.stderr)

    # pykafka 2.8 negotiates nothing: Kafka 3.9 takes its 0.10.0 requests.
    client = KafkaClient(hosts=args.hosts, broker_version="0.10.0")
    topic = client.topics[args.topic.encode()]
    consumer = topic.get_balanced_consumer(
        consumer_group=args.group.encode(),
        managed=False,
        zookeeper_hosts=args.zookeeper,
        auto_commit_enable=False,
        auto_offset_reset=OffsetType.EARLIEST,
        consumer_timeout_ms=100,
        rebalance_backoff_ms=args.rebalance_backoff_ms,
        rebalance_max_retries=args.rebalance_max_retries,
        membership_protocol=(
            RoundRobinProtocol if args.protocol == "roundrobin" else RangeProtocol
        ),
        use_rdkafka=False,
    )
    consumer_id = consumer._consumer_id.decode()
    emit({"event": "started", "id": consumer_id})

    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        cmd = json.loads(line)
        try:
            what = cmd["cmd"]
            if what == "state":
                held = consumer.held_offsets or {}
                emit({
                    "event": "state",
                    "id": consumer_id,
                    "partitions": sorted(consumer.partitions.keys()),
                    "held": {str(k): v for k, v in held.items()},
                })
            elif what == "consume":
                out = []
                idle_s = cmd.get("idle_ms", 1000) / 1000.0
                last = time.time()
                while len(out) < cmd.get("max", 1000000):
                    m = consumer.consume(block=True)
                    if m is None:
                        if time.time() - last >= idle_s:
                            break
                        continue
                    last = time.time()
                    out.append([
                        m.partition_id,
                        m.offset,
                        m.value.decode() if m.value is not None else None,
                    ])
                emit({"event": "messages", "messages": out})
            elif what == "commit":
                consumer.commit_offsets()
                emit({"event": "committed"})
            elif what == "stop":
                consumer.stop()
                emit({"event": "stopped"})
                return 0
            else:
                emit({"event": "error", "error": "unknown command %r" % what})
        except Exception:
            emit({"event": "error", "error": traceback.format_exc()})
    consumer.stop()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception:
        emit({"event": "error", "error": traceback.format_exc()})
        sys.exit(1)
