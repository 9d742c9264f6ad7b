#!/bin/bash
# Real Finch, driven through tmux, signs alice in to the mock server with the
# built plugin, chats with the echo bot and receives an IM from bob.
#
# usage: test-finch.sh MOCK_SERVER PLUGIN_SO [MOCK_ARG...]
set -euo pipefail

MOCK_SERVER=$1
PLUGIN_SO=$2
shift 2
MOCK_ARGS=("$@")

TYPED='héllo <b>&amp; 🎉'
FROM_BOB='hello from bob <i>&lt;3</i> ✓'
TIMEOUT=${FINCH_TEST_TIMEOUT:-30}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/finch-test-XXXXXX")
SOCKET="finch-test-$$"
MOCK_PID=
MOCK_PORT=

tmux_() { tmux -u -L "$SOCKET" "$@"; }
screen() { tmux_ capture-pane -p -t finch 2>/dev/null || true; }
finch_running() { tmux_ has-session -t finch 2>/dev/null; }

cleanup() {
  local status=$?
  if finch_running; then
    # M-q quits Finch cleanly; killing the server would leave a zombie.
    tmux_ send-keys -t finch M-q 2>/dev/null || true
    for _ in $(seq 50); do finch_running || break; sleep 0.1; done
    tmux_ kill-server 2>/dev/null || true
  fi
  stop_mock
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  echo "---- last screen ----" >&2
  screen >&2
  echo "---- mock stderr (tail) ----" >&2
  tail -n 20 "$WORK/mock.log" >&2 2>/dev/null || true
  echo "---- finch stderr (tail) ----" >&2
  tail -n 20 "$WORK/finch.err" >&2 2>/dev/null || true
  exit 1
}

# wait_for TEXT WHAT: polls the screen until TEXT (fixed string) shows.
wait_for() {
  local deadline=$((SECONDS + TIMEOUT))
  while ((SECONDS < deadline)); do
    if screen | grep -qF -- "$1"; then
      return 0
    fi
    finch_running || fail "Finch exited while waiting for $2"
    kill -0 "$MOCK_PID" 2>/dev/null || fail "the mock server died while waiting for $2"
    sleep 0.2
  done
  fail "timed out after ${TIMEOUT}s waiting for $2 (\"$1\")"
}

# mock_post PATH JSON: POST to the mock's control API over bash's /dev/tcp;
# prints the HTTP status code.
mock_post() {
  local body=$2 length
  length=$(LC_ALL=C; printf '%s' "${#body}")
  exec 3<>"/dev/tcp/127.0.0.1/$MOCK_PORT"
  printf 'POST %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nContent-Type: application/json\r\nContent-Length: %s\r\nConnection: close\r\n\r\n%s' \
    "$1" "$MOCK_PORT" "$length" "$body" >&3
  local status_line
  IFS= read -r status_line <&3 || true
  exec 3<&-
  status_line=${status_line%$'\r'}
  printf '%s\n' "${status_line#* }" | cut -d' ' -f1
}

# json_string TEXT: TEXT as a JSON string literal.
json_string() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "$s"
}

# ---- the mock and a throwaway Finch configuration ----
. "$(dirname "$0")/../purple-session.sh"
start_mock "$WORK" "$MOCK_SERVER" "${MOCK_ARGS[@]}" || { echo "FAIL: the mock did not start" >&2; exit 1; }
mkdir -p "$WORK/home"
write_alice_config "$WORK/cfg" "$PLUGIN_SO" "$MOCK_ROOT_URL" gnt-purple

# ---- Finch ----
# G_DEBUG=fatal-criticals is for our programs: Finch 2.14 itself removes a
# GSource twice when an account signs on (a critical from g_source_remove
# under purple_blist_add_account), which would abort it.
tmux_ new-session -d -s finch -x 120 -y 40 \
  "env -u G_DEBUG HOME='$WORK/home' TERM=screen LANG=C.UTF-8 LC_ALL=C.UTF-8 finch -c '$WORK/cfg' 2>'$WORK/finch.err'"

wait_for "Contacts" "the buddy list to show the Contacts group"

# Select echo: move down the tree until its tooltip (titled with the
# address) shows, then open the IM.
selected=
for _ in $(seq 20); do
  tmux_ send-keys -t finch C-n
  for _ in $(seq 10); do
    if screen | grep -qF "┤echo@example.test├"; then selected=1; break 2; fi
    sleep 0.1
  done
done
[[ -n $selected ]] || fail "could not select echo@example.test in the buddy list"
tmux_ send-keys -t finch Enter
wait_for "(alice@example.test -- Skype for Business (UCWA))├" \
  "the conversation window with echo"

tmux_ send-keys -t finch -l "$TYPED"
tmux_ send-keys -t finch Enter
wait_for ": echo: $TYPED" "the echo of the typed text"
echo "echo window: $(screen | grep -F -- ": echo: $TYPED" | head -n 1 | sed 's/^│//; s/ *▒\?│$//')"

# ---- an IM from bob, injected through the mock ----
body="{\"from\":\"bob@example.test\",\"to\":\"alice@example.test\",\"text\":$(json_string "$FROM_BOB")}"
status=$(mock_post /mock/v1/send-im "$body")
[[ $status == 200 ]] || fail "POST /mock/v1/send-im answered $status"
# The new window opens behind the focused one: cycle with M-n until it shows.
shown=
deadline=$((SECONDS + TIMEOUT))
while ((SECONDS < deadline)); do
  if screen | grep -qF -- ": $FROM_BOB"; then shown=1; break; fi
  tmux_ send-keys -t finch M-n
  sleep 0.3
done
[[ -n $shown ]] || fail "no window shows bob's message"
# A window of its own: echo's conversation is not the one on screen.
if screen | grep -qF -- ": echo: $TYPED"; then
  fail "bob's message showed up in echo's window"
fi
echo "bob window: $(screen | grep -F -- ": $FROM_BOB" | head -n 1 | sed 's/^│//; s/ *▒\?│$//')"

# ---- quit ----
tmux_ send-keys -t finch M-q
for _ in $(seq 100); do finch_running || break; sleep 0.1; done
finch_running && fail "Finch did not quit on M-q"
echo "PASS"
