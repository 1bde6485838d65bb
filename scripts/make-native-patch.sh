#!/usr/bin/env bash
# Re-creates patches/@confluentinc+kafka-javascript+<version>.patch from the edited package in node_modules: the
# pristine package comes from the npm registry (npm pack), and only the sources the patch may touch are compared
# (binding.gyp, librdkafka.js, src/, lib/, types/, and librdkafka's C and C++ sources, headers and Makefiles), never build
# output. See patches/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
pkg=@confluentinc/kafka-javascript
version=$(node -p "require('./node_modules/$pkg/package.json').version")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$pkg@$version" >/dev/null && tar xzf ./*.tgz)
mkdir -p "$work/a/node_modules/$pkg" "$work/b/node_modules/$pkg"
# Every librdkafka C and C++ source and header and its Makefiles, subfolders too (the build leaves its objects next to
# them): no list to keep in step with the patch, which once left out a file it had changed.
librdkafka=()
while IFS= read -r file; do librdkafka+=("${file#"node_modules/$pkg/"}"); done < <(find "node_modules/$pkg/deps/librdkafka/src" "node_modules/$pkg/deps/librdkafka/src-cpp" -type f \( -name "*.[ch]" -o -name "*.cpp" -o -name Makefile \) | sort)
for path in binding.gyp librdkafka.js src lib types "${librdkafka[@]}"; do
  mkdir -p "$(dirname "$work/a/node_modules/$pkg/$path")" "$(dirname "$work/b/node_modules/$pkg/$path")"
  cp -a "$work/package/$path" "$work/a/node_modules/$pkg/$path"
  cp -a "node_modules/$pkg/$path" "$work/b/node_modules/$pkg/$path"
done
# lib/binding/ holds addons built for other Node versions (scripts/node-versions.sh): build output, not source.
rm -rf "$work/b/node_modules/$pkg/lib/binding"
out="patches/${pkg/\//+}+$version.patch"
# git diff exits 1 when the trees differ, which is the point.
# With --no-prefix the tree names a/ and b/ are the prefixes patch-package expects; a new file's header names b/ twice.
(cd "$work" && git diff --no-index --no-prefix a b || true) | sed -e 's#^diff --git b/#diff --git a/#' >"$out"
echo "wrote $out ($(grep -c '^diff --git' "$out") files)"
