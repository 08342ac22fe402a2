#!/usr/bin/env bash
# Outside judges over every synthesized app template (apps/*/cdk.out/*.template.json):
# cfn-lint and checkov, each installed at a pinned version in its own venv.
# Needs the templates: run after the nx synth target (npm test does).
#   bash scripts/validate-templates.sh          every app's apps/*/cdk.out
#   bash scripts/validate-templates.sh APP...   those apps only (`npm run affected`: the affected ones)
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
if [ $# -gt 0 ]; then
  outs=()
  for app in "$@"; do outs+=("apps/$app/cdk.out"); done
else
  outs=(apps/*/cdk.out)
fi
if [ "${#outs[@]}" -eq 0 ]; then
  echo "validate-templates: no apps/*/cdk.out: run 'npm run synth' first" >&2
  exit 1
fi
templates=()
for dir in "${outs[@]}"; do
  found=("$dir"/*.template.json)
  if [ "${#found[@]}" -eq 0 ]; then
    echo "validate-templates: no $dir/*.template.json: run 'npm run synth' first" >&2
    exit 1
  fi
  templates+=("${found[@]}")
done

venv_for() { # venv_for <dir> <requirements file>: create the venv once per requirements content
  local dir=$1 req=$2 stamp
  stamp="$dir/.requirements"
  if [ ! -x "$dir/bin/python" ] || ! cmp -s "$req" "$stamp"; then
    rm -rf "$dir"
    python3 -m venv "$dir"
    "$dir/bin/pip" install --quiet --disable-pip-version-check -r "$req"
    cp "$req" "$stamp"
  fi
}

# The two venvs install side by side (mostly downloads and unpacking on a fresh machine); cfn-lint
# runs while checkov's venv is still installing.
checkov_log=$(mktemp)
trap 'rm -f "$checkov_log"' EXIT
venv_for .venv-checkov python/requirements-checkov.txt >"$checkov_log" 2>&1 &
checkov_venv=$!
venv_for .venv-cfn-lint python/requirements-cfn-lint.txt
echo "cfn-lint $(.venv-cfn-lint/bin/cfn-lint --version | awk '{print $2}') over ${#templates[@]} templates"
# No rule is disabled. If one ever must be, disable it in .cfnlintrc.yaml (read from here) with a reason.
.venv-cfn-lint/bin/cfn-lint --regions us-east-1 -- "${templates[@]}"
echo "cfn-lint: no errors or warnings"

if ! wait "$checkov_venv"; then
  cat "$checkov_log" >&2
  echo "validate-templates: installing checkov failed (its output is above)" >&2
  exit 1
fi
# One checkov process over the same templates (its start, about 5 s, is paid once, not per app).
echo "checkov over ${#templates[@]} templates (${outs[*]})"
.venv-checkov/bin/checkov -f "${templates[@]}" --framework cloudformation --skip-download --quiet --compact
echo "checkov: every failed check is fixed or skipped in resource metadata with a reason"
