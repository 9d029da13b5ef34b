"""Topic administration for bench/e2e (kafka-python's admin client, from the
bench virtualenv that bench/e2e/setup.sh creates).

usage: admin.py BOOTSTRAP create TOPIC PARTITIONS REPLICATION [key=value ...]
       admin.py BOOTSTRAP delete TOPIC
       admin.py BOOTSTRAP offsets TOPIC      (prints the sum of end offsets)
"""
import sys
import time

from kafka import KafkaConsumer, TopicPartition
from kafka.admin import KafkaAdminClient, NewTopic
from kafka.errors import UnknownTopicOrPartitionError


def wait_leaders(bootstrap, topic, partitions, timeout=60.0):
    consumer = KafkaConsumer(bootstrap_servers=bootstrap.split(","))
    deadline = time.time() + timeout
    try:
        while time.time() < deadline:
            parts = consumer.partitions_for_topic(topic)
            if parts and len(parts) == partitions:
                tps = [TopicPartition(topic, p) for p in parts]
                try:
                    consumer.end_offsets(tps)
                    return
                except Exception:
                    pass
            time.sleep(0.2)
            consumer._client.cluster.request_update()
        raise SystemExit(f"topic {topic}: leaders not ready after {timeout}s")
    finally:
        consumer.close()


def main():
    bootstrap, action, topic = sys.argv[1], sys.argv[2], sys.argv[3]
    if action == "offsets":
        consumer = KafkaConsumer(bootstrap_servers=bootstrap.split(","))
        parts = consumer.partitions_for_topic(topic) or set()
        ends = consumer.end_offsets([TopicPartition(topic, p) for p in parts])
        print(sum(ends.values()))
        consumer.close()
        return
    admin = KafkaAdminClient(bootstrap_servers=bootstrap.split(","), client_id="bench-admin")
    try:
        if action == "create":
            partitions, replication = int(sys.argv[4]), int(sys.argv[5])
            configs = dict(kv.split("=", 1) for kv in sys.argv[6:])
            admin.create_topics([NewTopic(topic, partitions, replication, topic_configs=configs)])
            wait_leaders(bootstrap, topic, partitions)
        elif action == "delete":
            try:
                admin.delete_topics([topic])
            except UnknownTopicOrPartitionError:
                pass
        else:
            raise SystemExit(f"unknown action {action}")
    finally:
        admin.close()


if __name__ == "__main__":
    main()
