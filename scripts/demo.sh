#!/usr/bin/env bash
# make demo: the main job on the embedded default — the local Woodpecker emulator.
# validate → plan → apply → plan (nothing) → append a step → apply → edit copy and settings in place →
# apply → plan (nothing) → a refused edit (a delay: no documented call changes it).
# Works in .demo/ so the repository's own campaigns/ and state/ are never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
demo=.demo
rm -rf "$demo" && mkdir -p "$demo" && cp -r campaigns "$demo/campaigns"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
wpsync emulator --port "$port" --seed-examples >"$demo/emulator.log" 2>&1 &
emulator=$!
trap 'kill $emulator 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q listening "$demo/emulator.log" 2>/dev/null && break; sleep 0.05; done

export WOODPECKER_API_URL="http://127.0.0.1:$port/rest" WOODPECKER_API_KEY="demo-key"
cd "$demo"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "wpsync validate            # every problem of every file at once (these are only warnings)"
wpsync validate
step "wpsync plan                # three new campaigns"
wpsync plan
step "wpsync apply --auto-approve"
wpsync apply --auto-approve
step "wpsync plan                # Woodpecker now matches the files"
wpsync plan
step "append a follow-up to campaigns/one-step-email.toml, then plan"
cat >>campaigns/one-step-email.toml <<'TOML'

[[steps]]
type = "EMAIL"
delivery_time = "workdays"
followup_after = { range = "DAY", value = 3 }

[[steps.versions]]
message = "<p>Just bumping this, {{FIRST_NAME | \"there\"}}.</p>"
track_opens = true
TOML
wpsync plan
step "wpsync apply --auto-approve"
wpsync apply --auto-approve
step "wpsync plan                # nothing left to do"
wpsync plan
step "edit in place: a subject and daily_enroll change; the plan shows ~ updates on the same campaign"
sed -i 's/subject = "Example subject line"/subject = "A sharper subject line"/' campaigns/one-step-email.toml
sed -i 's/daily_enroll = 25/daily_enroll = 30/' campaigns/one-step-email.toml
wpsync plan
step "wpsync apply --auto-approve   # two PATCH calls, the campaign keeps its id"
wpsync apply --auto-approve
step "wpsync plan                # nothing left to do"
wpsync plan
step "change a delay (followup_after): the plan refuses it before any call (exit 3)"
sed -i 's/followup_after = { range = "DAY", value = 3 }/followup_after = { range = "DAY", value = 5 }/' campaigns/one-step-email.toml
set +e
wpsync plan
code=$?
set -e
echo "(wpsync plan exited $code)"
[ "$code" -eq 3 ]
step "done: the demo's campaigns and state are in $demo/"
