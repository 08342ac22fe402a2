#!/usr/bin/env bash
# Installs the jsii-built wheels of every package into a fresh venv (.venv-test) with
# aws-cdk-lib, constructs and pytest from PyPI, then runs every package's Python tests.
# Needs the wheels: run after the nx build target (npm test does).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv-test
shopt -s nullglob
wheels=(packages/*/dist/python/*.whl)
packages=(packages/*/)
if [ "${#wheels[@]}" -ne "${#packages[@]}" ]; then
  echo "test-python: expected one wheel per package (${#packages[@]}), found ${#wheels[@]}: run 'npx nx run-many -t build' first" >&2
  exit 1
fi
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r python/requirements-test.txt "${wheels[@]}"
tests=(packages/*/test/python)
echo "test-python: pytest over ${tests[*]}"
"$venv/bin/python" -m pytest -q -p no:cacheprovider --import-mode=importlib "${tests[@]}"
