#!/usr/bin/env bash
# Regenerates the validation report: docs/validation.md and its figures in
# docs/validation/ (validation/report.py runs the talentflow binary and measures every
# number). Options pass through: --talentflow PATH (default build/talentflow), --quick
# (tiny sizes), --out-dir DIR (default docs), --jobs N (runs side by side, default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
exec nice -n 15 /usr/bin/python3 validation/report.py "$@"
