// End-to-end latency peer for bench/e2e with the Java client (kafka-clients):
// one KafkaProducer paced at the target rate and one KafkaConsumer (own
// thread, group, auto.offset.reset=latest) in the same JVM; latency = time
// the consumer sees a record - time of its send() call (System.nanoTime).
// Same protocol as bench/peers/_common.mjs (warm-up, then measured records).
// Compiled by bench/e2e/setup.sh into the bench cache; run by java.sh.

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

public final class JavaE2e {
  private static final long WARM = 1_000_000_000L;

  private static String str(String json, String key) {
    int i = json.indexOf("\"" + key + "\"");
    if (i < 0) throw new IllegalArgumentException("spec has no " + key);
    int c = json.indexOf(':', i) + 1;
    while (json.charAt(c) == ' ') c++;
    if (json.charAt(c) == '"') return json.substring(c + 1, json.indexOf('"', c + 1));
    int e = c;
    while (e < json.length() && "-0123456789.".indexOf(json.charAt(e)) >= 0) e++;
    return json.substring(c, e);
  }

  private static long num(String json, String key, long dflt) {
    return json.contains("\"" + key + "\"") ? (long) Double.parseDouble(str(json, key)) : dflt;
  }

  private static byte[] value(String tag, long seq, byte[] payload, int size) {
    byte[] head = (tag + ":" + seq + ":").getBytes(StandardCharsets.US_ASCII);
    byte[] v = new byte[Math.max(size, head.length)];
    System.arraycopy(payload, 0, v, 0, Math.min(payload.length, v.length));
    System.arraycopy(head, 0, v, 0, head.length);
    return v;
  }

  private static long parse(byte[] tag, byte[] v) {
    if (v == null || v.length < tag.length + 2) return -1;
    for (int i = 0; i < tag.length; i++) if (v[i] != tag[i]) return -1;
    if (v[tag.length] != ':') return -1;
    long seq = 0;
    for (int i = tag.length + 1; i < v.length; i++) {
      if (v[i] == ':') return seq;
      seq = seq * 10 + (v[i] - '0');
    }
    return -1;
  }

  public static void main(String[] args) throws Exception {
    String spec = args[0];
    String bootstrap = str(spec, "bootstrap");
    String topic = str(spec, "topic");
    int total = (int) num(spec, "records", 0);
    int size = (int) num(spec, "size", 100);
    double rate = num(spec, "rate", 1000);
    long warmupMs = num(spec, "warmupMs", 1000);
    long warmupTimeoutMs = num(spec, "warmupTimeoutMs", 30000);
    long drainTimeoutMs = num(spec, "drainTimeoutMs", 15000);
    List<byte[]> payloads = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(str(spec, "payloadFile")), StandardCharsets.US_ASCII)) {
      if (!line.isEmpty()) payloads.add(line.getBytes(StandardCharsets.US_ASCII));
    }
    String tagStr = "e" + Long.toString(System.nanoTime() & 0xffffffffL, 36);
    byte[] tag = tagStr.getBytes(StandardCharsets.US_ASCII);

    Properties pp = new Properties();
    pp.put("bootstrap.servers", bootstrap);
    pp.put("acks", str(spec, "acks"));
    pp.put("linger.ms", str(spec, "lingerMs"));
    pp.put("batch.size", str(spec, "batchBytes"));
    pp.put("compression.type", str(spec, "compression"));
    pp.put("enable.idempotence", "false");
    pp.put("client.id", "bench-java-e2e");
    Properties cp = new Properties();
    cp.put("bootstrap.servers", bootstrap);
    cp.put("group.id", str(spec, "group"));
    cp.put("auto.offset.reset", "latest");
    cp.put("enable.auto.commit", "false");
    cp.put("fetch.max.wait.ms", "100");
    cp.put("client.id", "bench-java-e2e");

    long[] sentAt = new long[total];
    boolean[] seen = new boolean[total];
    double[] lat = new double[total];
    AtomicInteger measured = new AtomicInteger();
    AtomicLong warmFirst = new AtomicLong(-1);
    AtomicBoolean stop = new AtomicBoolean();

    try (KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(pp, new ByteArraySerializer(), new ByteArraySerializer());
        KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(cp, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      Thread reader = new Thread(() -> {
        consumer.subscribe(List.of(topic));
        while (!stop.get()) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
            long seq = parse(tag, r.value());
            if (seq < 0) continue;
            long t = System.nanoTime();
            if (seq >= WARM) {
              warmFirst.compareAndSet(-1, t);
            } else if (seq < total && !seen[(int) seq]) {
              seen[(int) seq] = true;
              lat[measured.getAndIncrement()] = (t - sentAt[(int) seq]) / 1e6;
            }
          }
        }
      });
      reader.start();

      long warmDeadline = System.nanoTime() + warmupTimeoutMs * 1_000_000L;
      long w = 0;
      long wt0 = System.nanoTime();
      while (warmFirst.get() < 0 || System.nanoTime() - warmFirst.get() < warmupMs * 1_000_000L) {
        if (System.nanoTime() > warmDeadline) throw new IllegalStateException("consumer saw no warm-up record in time");
        long due = (long) ((System.nanoTime() - wt0) / 1e9 * rate) + 1;
        while (w < due) {
          producer.send(new ProducerRecord<>(topic, value(tagStr, WARM + w, payloads.get((int) (w % payloads.size())), size)));
          w++;
        }
        Thread.sleep(1);
      }
      long t0 = System.nanoTime();
      int i = 0;
      while (i < total) {
        long due = Math.min(total, (long) ((System.nanoTime() - t0) / 1e9 * rate) + 1);
        while (i < due) {
          byte[] v = value(tagStr, i, payloads.get(i % payloads.size()), size);
          sentAt[i] = System.nanoTime();
          producer.send(new ProducerRecord<>(topic, v));
          i++;
        }
        Thread.sleep(1);
      }
      long sendEnd = System.nanoTime();
      long drainDeadline = sendEnd + drainTimeoutMs * 1_000_000L;
      while (measured.get() < total && System.nanoTime() < drainDeadline) Thread.sleep(5);
      stop.set(true);
      reader.join(5000);

      int n = measured.get();
      double[] s = Arrays.copyOf(lat, n);
      Arrays.sort(s);
      StringBuilder out = new StringBuilder();
      out.append("{\"result\":\"denokafka-bench/1\",\"version\":\"Java client ").append(org.apache.kafka.common.utils.AppInfoParser.getVersion()).append(" (JavaE2e) on Java ").append(System.getProperty("java.version")).append("\"");
      out.append(",\"records\":").append(n).append(",\"missing\":").append(total - n);
      out.append(",\"bytes\":").append((long) n * size);
      out.append(",\"elapsedMs\":").append((sendEnd - t0) / 1e6);
      out.append(",\"warmupRecords\":").append(w);
      if (n > 0) {
        out.append(",\"latencyMs\":{\"p50\":").append(s[Math.max(0, (int) Math.ceil(0.5 * n) - 1)]);
        out.append(",\"p99\":").append(s[Math.max(0, (int) Math.ceil(0.99 * n) - 1)]);
        out.append(",\"max\":").append(s[n - 1]).append(",\"count\":").append(n).append("}");
      }
      out.append("}");
      System.out.println(out);
    }
  }
}
