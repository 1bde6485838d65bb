// The client library's index without its KafkaJS-compatible layer (client.ts says why). Its values are the package's
// own, which client.ts types as the package.
declare module '@confluentinc/kafka-javascript/lib/rdkafka.js'
