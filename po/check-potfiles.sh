#!/bin/bash
# Fails when po/POTFILES misses a source with translatable strings, or lists
# a file that no longer exists.   Usage: check-potfiles.sh SOURCE_ROOT
set -euo pipefail
cd "$1"
expected=$(grep -l -E '(^|[^A-Za-z0-9_])(N_|_)\("' src/ucwa/*.c src/purple/*.c | sort)
listed=$(grep -v -E '^\s*(#|$)' po/POTFILES | sort)
if [ "$expected" != "$listed" ]; then
  echo "po/POTFILES is out of date; it should list:" >&2
  echo "$expected" >&2
  diff <(echo "$listed") <(echo "$expected") >&2 || true
  exit 1
fi
echo "po/POTFILES lists all $(echo "$listed" | wc -l) sources with translatable strings"
