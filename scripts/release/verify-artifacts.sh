#!/usr/bin/env bash
# npm run verify:artifacts (npm test calls it): build the release artifacts at their release
# versions (a release dry run), check their dependency metadata, then install them OUTSIDE
# the monorepo, from the tarballs and wheels plus aws-cdk-lib from the registries, and
# synthesize a stack that uses every package from TypeScript's runtime (Node) and Python.
# Last, every package's Python tests run in that venv (scripts/test-python.sh VENV).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
out=$repo/dist/release
cdk_lib=$(node -p "require('./package.json').devDependencies['aws-cdk-lib']")
constructs=$(node -p "require('./package.json').devDependencies['constructs']")
# monitoring's third-party peer, at the version the monorepo tests with (pip takes it from the wheel's requirement)
monitoring_constructs=$(node -p "require('./packages/monitoring/package.json').devDependencies['cdk-monitoring-constructs']")

tmp=$(mktemp -d -t portcullis-consumer-XXXXXX)
# on any exit, also stop an install still running in the background
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
# The consumers' third-party dependencies (aws-cdk-lib and constructs from the registries: mostly
# downloads) install while the release dry run builds; the artifacts are added once it is done.
mkdir -p "$tmp/npm"
(cd "$tmp/npm" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error \
  "aws-cdk-lib@$cdk_lib" "constructs@$constructs" "cdk-monitoring-constructs@$monitoring_constructs" >/dev/null) >"$tmp/npm-deps.log" 2>&1 &
npm_deps=$!
(python3 -m venv "$tmp/venv" && "$tmp/venv/bin/pip" install --quiet --disable-pip-version-check "aws-cdk-lib==$cdk_lib" "constructs==$constructs") \
  >"$tmp/venv-deps.log" 2>&1 &
venv_deps=$!
node scripts/release/release.js --dry-run --out dist/release
node scripts/release/check-metadata.js "$out"
installed() { # installed <pid> <log> <what>: wait for a background install, fail with its output
  wait "$1" && return 0
  cat "$2" >&2
  echo "verify-artifacts: installing $3 failed (its output is above)" >&2
  exit 1
}
installed "$npm_deps" "$tmp/npm-deps.log" "the npm consumer's third-party dependencies"
installed "$venv_deps" "$tmp/venv-deps.log" "the Python consumer's venv"
# The npm consumer and the Python consumer are independent (each mostly installs, then
# synthesizes in one process): they run side by side, the npm one's output printed when it ends.
echo "verify-artifacts: npm consumer in $tmp (no access to the workspace), alongside the Python consumer"
cp scripts/release/consumer.js "$tmp/npm/"
(cd "$tmp/npm" && npm install --no-audit --no-fund --loglevel=error \
  "$out"/*/js/*.tgz "aws-cdk-lib@$cdk_lib" "constructs@$constructs" "cdk-monitoring-constructs@$monitoring_constructs" >/dev/null && node consumer.js \
  && npx --no-install portcullis-audit --help >/dev/null && echo "npm consumer: npx portcullis-audit --help works from the installed tarball") \
  >"$tmp/npm.log" 2>&1 &
npm_consumer=$!

echo "verify-artifacts: Python consumer in a fresh venv (aws-cdk-lib and constructs already in it)"
"$tmp/venv/bin/pip" install --quiet --disable-pip-version-check "$out"/*/python/*.whl "aws-cdk-lib==$cdk_lib" "constructs==$constructs"
(cd "$tmp" && "$tmp/venv/bin/python" "$repo/scripts/release/consumer.py")

npm_status=0
wait "$npm_consumer" || npm_status=$?
echo "--- verify-artifacts: npm consumer"
cat "$tmp/npm.log"
if [ "$npm_status" -ne 0 ]; then
  echo "verify-artifacts: the npm consumer failed (exit $npm_status; its output is above)" >&2
  exit 1
fi

# The release build left the same wheels in packages/*/dist/python: the Python tests add only
# pytest to this venv instead of installing aws-cdk-lib and the wheels into a second one.
echo "verify-artifacts: every package's Python tests, in the same venv"
bash scripts/test-python.sh "$tmp/venv"
echo "verify-artifacts: passed"
