#!/usr/bin/env bash
# Update safety of every reference app between a base commit and the working tree:
# synthesizes the apps at BASE (in a temporary git worktree with its own `npm ci`) and here,
# then runs `portcullis-audit diff <base cdk.out> <here cdk.out>` per app, with this tree's
# CLI. Exits 1 when an app's update would replace or remove something its users depend on
# (NAT Elastic IPs, load balancers, APIs, VPC, subnets, namespaces, log groups) without an
# acknowledgement, 2 on errors.
#
#   bash scripts/diff-apps.sh [BASE]        BASE defaults to the merge base with origin/main (or main)
#   DIFF_APPS_JSON=1 bash scripts/diff-apps.sh BASE   also writes dist/update-safety/<app>.json
#   DIFF_APPS="a b" bash scripts/diff-apps.sh BASE    only those apps (folder names under apps/):
#                                      `npm run affected` passes the apps a change affects
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

base_ref=${1:-}
if [ -z "$base_ref" ]; then
  base_ref=$(git merge-base HEAD origin/main 2>/dev/null || git merge-base HEAD main)
fi
base=$(git rev-parse --verify "$base_ref^{commit}") || { echo "diff-apps: unknown commit '$base_ref'" >&2; exit 2; }
echo "diff-apps: base $base ($base_ref), head $(git rev-parse HEAD)$( [ -n "$(git status --porcelain --untracked-files=no)" ] && echo ' + uncommitted changes')"

# The apps to compare: DIFF_APPS, or every app.
if [ -n "${DIFF_APPS:-}" ]; then
  read -r -a apps <<<"$DIFF_APPS"
  for app in "${apps[@]}"; do [ -f "apps/$app/cdk.json" ] || { echo "diff-apps: no app apps/$app (DIFF_APPS)" >&2; exit 2; }; done
else
  apps=()
  for dir in apps/*/; do [ -f "$dir/cdk.json" ] && apps+=("$(basename "$dir")"); done
fi
# nx's --projects list of the apps among $@ that exist in the tree at $1 (the base may predate an app).
projects_in() {
  local tree=$1 list='' app
  shift
  for app in "$@"; do
    if [ -f "$tree/apps/$app/cdk.json" ]; then list="${list:+$list,}@portcullis-apps/$app"; fi
  done
  echo "$list"
}
echo "diff-apps: ${apps[*]}"

work=$(mktemp -d)
cleanup() { git worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

git worktree add --detach "$work/base" "$base" >/dev/null
echo "diff-apps: synthesizing the apps at the base (npm ci + build + synth; a few minutes)"
base_projects=$(projects_in "$work/base" "${apps[@]}")
if [ -n "$base_projects" ]; then
  (cd "$work/base" && npm ci --no-audit --no-fund >/dev/null && npx nx run-many -t synth --projects="$base_projects" --outputStyle=static >"$work/base-synth.log" 2>&1) \
    || { echo "diff-apps: the base did not synthesize; see below" >&2; tail -40 "$work/base-synth.log" >&2; exit 2; }
fi
echo "diff-apps: synthesizing the apps here"
npx nx run-many -t synth --projects="$(projects_in . "${apps[@]}")" --outputStyle=static >"$work/head-synth.log" 2>&1 \
  || { echo "diff-apps: this tree did not synthesize; see below" >&2; tail -40 "$work/head-synth.log" >&2; exit 2; }

cli="$root/packages/audit/lib/cli.js"
status=0
for app in "${apps[@]}"; do
  before="$work/base/apps/$app/cdk.out"
  after="$root/apps/$app/cdk.out"
  echo
  echo "=== $app"
  if [ ! -d "$before" ]; then
    echo "(new app: nothing deployed to compare with)"
    continue
  fi
  rc=0
  node "$cli" diff "$before" "$after" || rc=$?
  if [ -n "${DIFF_APPS_JSON:-}" ]; then
    mkdir -p dist/update-safety
    node "$cli" diff "$before" "$after" --json >"dist/update-safety/$app.json" || true
  fi
  if [ "$rc" -gt "$status" ]; then status=$rc; fi
done
exit "$status"
