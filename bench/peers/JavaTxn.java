// Transactions peer for bench/e2e with the Java client (kafka-clients): one
// transactional KafkaProducer writes `records` records in transactions of
// `perTxn` (beginTransaction, send each, commitTransaction, which flushes
// and waits for every acknowledgement). Settings as java.sh states them
// (linger.ms, batch.size, compression.type from the spec; acks=all and
// idempotence, which transactions need). Compiled by bench/e2e/setup.sh
// into the bench cache; run by java.sh. Prints one JSON result line.

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

public final class JavaTxn {
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

  public static void main(String[] args) throws Exception {
    String spec = args[0];
    String topic = str(spec, "topic");
    int total = (int) num(spec, "records", 0);
    int size = (int) num(spec, "size", 100);
    int perTxn = (int) num(spec, "perTxn", 1000);
    List<byte[]> payloads = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(str(spec, "payloadFile")), StandardCharsets.US_ASCII)) {
      if (!line.isEmpty()) payloads.add(line.getBytes(StandardCharsets.US_ASCII));
    }
    Properties pp = new Properties();
    pp.put("bootstrap.servers", str(spec, "bootstrap"));
    pp.put("acks", "all");
    pp.put("enable.idempotence", "true");
    pp.put("linger.ms", str(spec, "lingerMs"));
    pp.put("batch.size", str(spec, "batchBytes"));
    pp.put("compression.type", str(spec, "compression"));
    pp.put("transactional.id", "bench-java-" + UUID.randomUUID());
    pp.put("client.id", "bench-java-txn");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(pp, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      long t0 = System.nanoTime();
      for (int i = 0; i < total; i += perTxn) {
        int n = Math.min(perTxn, total - i);
        producer.beginTransaction();
        for (int j = 0; j < n; j++) {
          producer.send(new ProducerRecord<>(topic, payloads.get((i + j) % payloads.size())));
        }
        producer.commitTransaction();
      }
      double elapsedMs = (System.nanoTime() - t0) / 1e6;
      System.out.println("{\"result\":\"denokafka-bench/1\",\"version\":\"Java client "
          + org.apache.kafka.common.utils.AppInfoParser.getVersion() + " (JavaTxn) on Java "
          + System.getProperty("java.version") + "\",\"records\":" + total + ",\"bytes\":"
          + (long) total * size + ",\"elapsedMs\":" + elapsedMs + "}");
    }
  }
}
