#!/bin/bash
# Builds purple-ucwa with warnings as errors and runs the whole test suite.
#
#   tests/run-tests.sh [extra `meson test` arguments, e.g. --suite core]
#
# Uses its own build directory, build-tests/. The last line it prints is
# always `N passed, N failed` (plus `, N skipped` when tests were skipped);
# the exit status is non-zero when a test failed or no test ran.
set -uo pipefail

cd "$(dirname "$0")/.." || exit 1
builddir=build-tests

closing_line() {
  echo "$1 passed, $2 failed${3:+, $3 skipped}"
}

give_up() {
  echo "run-tests.sh: $1" >&2
  closing_line 0 0
  exit 1
}

tests/deps.sh build run test || give_up "missing packages"

build_start=$(date +%s)
if [ -f "$builddir/build.ninja" ]; then
  meson setup --reconfigure "$builddir" -Dwerror=true -Dtests=true ||
    meson setup --wipe "$builddir" -Dwerror=true -Dtests=true ||
    give_up "meson setup failed"
else
  meson setup "$builddir" -Dwerror=true -Dtests=true || give_up "meson setup failed"
fi
meson compile -C "$builddir" || give_up "the build failed"
build_seconds=$(( $(date +%s) - build_start ))

# meson names the log after the test setup (testlog-valgrind.json), so clear
# them all and read every one this run writes.
rm -f "$builddir"/meson-logs/testlog*.json
tests_start=$(date +%s)
meson test -C "$builddir" --print-errorlogs "$@"
meson_status=$?
# Without arguments, the whole suite also runs again under valgrind (the
# `valgrind` test setup): a use of freed memory does not always crash.
if [ $# -eq 0 ] && command -v valgrind >/dev/null; then
  meson test -C "$builddir" --print-errorlogs --setup=valgrind || meson_status=$?
fi
tests_seconds=$(( $(date +%s) - tests_start ))

counts=$(python3 - "$builddir"/meson-logs/testlog*.json <<'PY'
import json, sys
passed = failed = skipped = 0
lines = []
for path in sys.argv[1:]:
    try:
        lines += open(path, encoding="utf-8").read().splitlines()
    except OSError:
        pass
for line in lines:
    if not line.strip():
        continue
    result = json.loads(line).get("result")
    if result in ("OK", "EXPECTEDFAIL"):
        passed += 1
    elif result == "SKIP":
        skipped += 1
    else:  # FAIL, TIMEOUT, ERROR, UNEXPECTEDPASS and anything unknown
        failed += 1
print(passed, failed, skipped)
PY
) || counts="0 1 0"
read -r passed failed skipped <<<"$counts"

echo "build: ${build_seconds} s"
echo "tests: ${tests_seconds} s"
if [ "$skipped" -gt 0 ]; then
  closing_line "$passed" "$failed" "$skipped"
else
  closing_line "$passed" "$failed"
fi

if [ "$failed" -gt 0 ] || [ $((passed + failed)) -eq 0 ] || [ "$meson_status" -ne 0 ]; then
  exit 1
fi
exit 0
