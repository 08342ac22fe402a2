#!/usr/bin/env bash
# npm test: the README commands and costs (scripts/check-readme-commands.js) and the outside
# judges of the apps' templates (scripts/validate-templates.sh: cfn-lint, checkov), side by side.
# Neither writes what the other reads: the README commands synthesize into temporary directories
# and leave apps/*/cdk.out (npm test's synth) alone, which the judges read. On a fresh machine
# the judges spend most of their time installing their pinned venvs (downloads), which overlaps
# the README check's synths. The judges' output is printed after the README check's; either
# failing fails this step.
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
bash scripts/validate-templates.sh >"$log" 2>&1 &
judges=$!
node scripts/check-readme-commands.js
readme=$?
wait "$judges"
templates=$?
echo "--- scripts/validate-templates.sh (cfn-lint, checkov), run alongside"
cat "$log"
if [ "$readme" -ne 0 ] || [ "$templates" -ne 0 ]; then
  echo "readme-and-templates: check-readme-commands exited $readme, validate-templates exited $templates" >&2
  exit 1
fi
