#!/usr/bin/env bash
# Regenerates the *.expected files by running each golden program under CPython.
# Review the diff: these files are what the VM's output is checked against.
set -euo pipefail
cd "$(dirname "$0")"
for f in *.py; do
  python3 "$f" > "${f%.py}.expected" 2>&1
done
