#!/usr/bin/env bash
# Installs the jsii-built wheels of every package into a fresh venv (.venv-test) with
# aws-cdk-lib, constructs and pytest from PyPI, then runs every package's Python tests.
# Needs the wheels in packages/*/dist/python: the nx `package` target builds them (npm test runs
# this after verify:artifacts, whose release dry run packages every package at its release version).
# By hand: npx nx run-many -t package --projects='@portcullis/*' && bash scripts/test-python.sh
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv-test
shopt -s nullglob
wheels=(packages/*/dist/python/*.whl)
packages=(packages/*/)
if [ "${#wheels[@]}" -ne "${#packages[@]}" ]; then
  echo "test-python: expected one wheel per package (${#packages[@]}), found ${#wheels[@]}: build them first: npx nx run-many -t package --projects='@portcullis/*'" >&2
  exit 1
fi
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r python/requirements-test.txt "${wheels[@]}"
tests=(packages/*/test/python)
echo "test-python: pytest over ${tests[*]}"
"$venv/bin/python" -m pytest -q -p no:cacheprovider --import-mode=importlib "${tests[@]}"
