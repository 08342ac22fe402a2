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

venv_for .venv-cfn-lint python/requirements-cfn-lint.txt
echo "cfn-lint $(.venv-cfn-lint/bin/cfn-lint --version | awk '{print $2}') over ${#templates[@]} templates"
# No rule is disabled. If one ever must be, disable it in .cfnlintrc.yaml (read from here) with a reason.
.venv-cfn-lint/bin/cfn-lint --regions us-east-1 -- "${templates[@]}"
echo "cfn-lint: no errors or warnings"

venv_for .venv-checkov python/requirements-checkov.txt
for dir in "${outs[@]}"; do
  echo "checkov over $dir"
  .venv-checkov/bin/checkov -d "$dir" --framework cloudformation --skip-download --quiet --compact
done
echo "checkov: every failed check is fixed or skipped in resource metadata with a reason"
