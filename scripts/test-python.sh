#!/usr/bin/env bash
# Runs every package's Python tests (packages/*/test/python, pytest) against the jsii-built
# wheels of every package (packages/*/dist/python), with aws-cdk-lib, constructs and pytest
# from PyPI (python/requirements-test.txt).
#   bash scripts/test-python.sh        in a fresh venv, .venv-test
#   bash scripts/test-python.sh VENV   in an existing venv: npm test's verify:artifacts passes its
#                                      Python consumer venv, which already holds the same wheels,
#                                      aws-cdk-lib and constructs (installed once, not twice)
# Needs the wheels: the nx `package` target builds them (npm test: the release dry run of
# verify:artifacts, at the release versions). By hand:
#   npx nx run-many -t package --projects='@portcullis/*' && bash scripts/test-python.sh
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${1:-.venv-test}
shopt -s nullglob
wheels=(packages/*/dist/python/*.whl)
packages=(packages/*/)
if [ "${#wheels[@]}" -ne "${#packages[@]}" ]; then
  echo "test-python: expected one wheel per package (${#packages[@]}), found ${#wheels[@]}: build them first: npx nx run-many -t package --projects='@portcullis/*'" >&2
  exit 1
fi
if [ $# -eq 0 ]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
fi
# In an existing venv, pip keeps what is already installed at the same version.
"$venv/bin/pip" install --quiet --disable-pip-version-check -r python/requirements-test.txt "${wheels[@]}"
tests=(packages/*/test/python)
# Two pytest processes (PYTEST_JOBS): each test drives a jsii kernel (a Node process that does the
# synthesis), so one pytest keeps about one core busy; CI has two. The package folders go to the
# shards by their number of tests, largest first, each to the shard with the fewest so far. Each
# shard's output is printed whole when it ends; any failed shard fails the run.
jobs=${PYTEST_JOBS:-2}
logs=$(mktemp -d -t test-python-XXXXXX)
declare -a shard_tests shard_count
for ((shard = 0; shard < jobs; shard++)); do shard_tests[$shard]=''; shard_count[$shard]=0; done
while read -r count dir; do
  least=0
  for ((shard = 1; shard < jobs; shard++)); do
    if [ "${shard_count[$shard]}" -lt "${shard_count[$least]}" ]; then least=$shard; fi
  done
  shard_tests[$least]+="$dir "
  shard_count[$least]=$(( ${shard_count[$least]} + count ))
done < <(for dir in "${tests[@]}"; do echo "$(cat "$dir"/test_*.py | grep -c '^def test') $dir"; done | sort -rn)
pids=()
for ((shard = 0; shard < jobs; shard++)); do
  read -r -a mine <<<"${shard_tests[$shard]}"
  [ "${#mine[@]}" -eq 0 ] && continue
  echo "test-python: pytest $((shard + 1))/$jobs over ${mine[*]}"
  "$venv/bin/python" -m pytest -q -p no:cacheprovider --import-mode=importlib "${mine[@]}" >"$logs/$shard.log" 2>&1 &
  pids+=("$!:$shard")
done
failed=0
for entry in "${pids[@]}"; do
  pid=${entry%%:*} shard=${entry##*:}
  if ! wait "$pid"; then failed=1; fi
  echo "--- test-python: pytest $((shard + 1))/$jobs"
  cat "$logs/$shard.log"
done
rm -rf "$logs"
if [ "$failed" -ne 0 ]; then
  echo "test-python: a pytest run failed (its output is above)" >&2
  exit 1
fi
