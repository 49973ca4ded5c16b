#!/usr/bin/env bash
# make demo: the main job on the embedded default. Grows with the project.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== wpsync validate campaigns/"
wpsync validate campaigns/
