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
echo "test-python: pytest over ${tests[*]}"
"$venv/bin/python" -m pytest -q -p no:cacheprovider --import-mode=importlib "${tests[@]}"
