#!/usr/bin/env bash
# The wpsync GitHub Action's run step (action.yml at the repository root). Its inputs arrive as
# environment variables and are never pasted into this script, so no input's value can become code.
#
#   COMMAND        plan | apply | drift | adopt
#   ACCOUNTS       account names of wpsync.toml's [accounts], separated by spaces ("" : every account)
#   MAKE_EDITABLE  policy | true | false   (policy: wpsync.toml's [apply] make_editable and the files decide)
#   COMMENT        pull-request | summary | none
#
# Writes plan.md / plan.json / validate.txt for the comment step, and the step outputs `exit`
# (wpsync's exit code), `validate`, `changes` (apply) and `drifted` (drift, adopt: the keys).
set -uo pipefail

output() { echo "$1=$2" >> "$GITHUB_OUTPUT"; }
fail() { echo "::error::$1"; output exit 1; exit 0; }

flags=()
for name in $ACCOUNTS; do flags+=(--account "$name"); done
case "$MAKE_EDITABLE" in
  policy) ;;
  true) flags+=(--make-editable) ;;
  false) flags+=(--no-make-editable) ;;
  *) fail "make-editable must be policy, true or false, not '$MAKE_EDITABLE'" ;;
esac
case "$COMMENT" in
  pull-request | summary) ;;
  none) unset GITHUB_STEP_SUMMARY ;;  # wpsync adds the markdown plan to the job summary when it is set
  *) fail "comment must be pull-request, summary or none, not '$COMMENT'" ;;
esac

drifted_keys() {
  # The campaigns a `plan --refresh all` found changed in Woodpecker: drift notes and remote_drift refusals.
  python - "$1" <<'PY'
import json, sys
plan = json.load(open(sys.argv[1], encoding="utf-8"))
keys = {n["key"] for n in plan["notes"] if n["code"] == "drift" and n["key"]}
keys |= {r["key"] for r in plan["refused"] if r["code"] == "remote_drift"}
print(" ".join(sorted(keys)))
PY
}

case "$COMMAND" in
  plan)
    wpsync validate > validate.txt 2>&1
    code=$?
    cat validate.txt
    output validate "$code"
    if [ "$code" -ne 0 ]; then output exit "$code"; exit 0; fi
    wpsync plan --format markdown --out plan.json "${flags[@]}" > plan.md 2> plan.err
    code=$?
    cat plan.err >&2
    output exit "$code"
    ;;
  apply)
    # Plan from what is checked out, then apply exactly that plan (a stale one is refused: exit 4).
    wpsync plan --detailed-exitcode --out plan.json "${flags[@]}"
    code=$?
    case "$code" in
      0) output changes false ;;
      2)
        output changes true
        wpsync apply plan.json
        code=$?
        ;;
    esac
    output exit "$code"
    ;;
  drift | adopt)
    [ "$COMMAND" = adopt ] && [ -n "$ACCOUNTS" ] && fail "adopt acts on the one account of this folder; leave account empty"
    wpsync plan --refresh all --detailed-exitcode --format markdown "${flags[@]}" > plan.md 2> plan.err
    code=$?
    cat plan.err >&2
    if [ "$code" -ne 0 ] && [ "$code" -ne 2 ] && [ "$code" -ne 3 ]; then output exit "$code"; exit 0; fi
    wpsync plan --refresh all --format json "${flags[@]}" > drift.json 2>> plan.err
    keys=$(drifted_keys drift.json)
    output drifted "$keys"
    if [ "$COMMAND" = adopt ] && [ -n "$keys" ]; then
      # shellcheck disable=SC2086  # the keys are campaign keys: no spaces, no globs
      wpsync adopt $keys
      code=$?
      output exit "$code"
      exit 0
    fi
    output exit 0  # drift found is news for the summary, not a failure
    ;;
  *) fail "command must be plan, apply, drift or adopt, not '$COMMAND'" ;;
esac
