/**
 * denokafka: a Deno-first Apache Kafka client in TypeScript, with pykafka's
 * design (KafkaClient, SimpleConsumer, BalancedConsumer,
 * ManagedBalancedConsumer, Producer) and WebAssembly record codecs.
 *
 * The library is being built issue by issue; see the README for what works
 * today.
 *
 * @module
 */

export { VERSION } from "./src/version.ts";
