# purple-session.sh: sourced by the demo and the Finch test, which both run
# the mock server and a libpurple UI signed in as alice against it.

# start_mock DIR MOCK [ARG...]: starts the mock server in the background,
# its output in DIR/mock.out and DIR/mock.log, and waits for its listening
# line. Sets MOCK_PID, MOCK_BASE_URL (http://127.0.0.1:PORT/), MOCK_PORT and
# MOCK_ROOT_URL (the autodiscovery root). Returns 1 if it did not start.
start_mock() {
  local dir=$1 mock=$2
  shift 2
  # Line-buffered, so the listening line reaches the file at once.
  stdbuf -oL "$mock" --port 0 "$@" >"$dir/mock.out" 2>"$dir/mock.log" &
  MOCK_PID=$!
  MOCK_BASE_URL=
  for _ in $(seq 100); do
    MOCK_BASE_URL=$(sed -n '1s|^ucwa-mock-server listening on \(http://127\.0\.0\.1:[0-9]*/\)$|\1|p' \
      "$dir/mock.out")
    [ -n "$MOCK_BASE_URL" ] && break
    if ! kill -0 "$MOCK_PID" 2>/dev/null; then
      MOCK_PID=
      cat "$dir/mock.out" "$dir/mock.log" >&2
      return 1
    fi
    sleep 0.1
  done
  [ -n "$MOCK_BASE_URL" ] || return 1
  MOCK_PORT=${MOCK_BASE_URL##*:}
  MOCK_PORT=${MOCK_PORT%/}
  MOCK_ROOT_URL="${MOCK_BASE_URL}autodiscover/autodiscoverservice.svc/root"
}

# stop_mock: ends the mock started by start_mock, if it still runs.
stop_mock() {
  if [ -n "${MOCK_PID:-}" ]; then
    kill "$MOCK_PID" 2>/dev/null || true
    wait "$MOCK_PID" 2>/dev/null || true
    MOCK_PID=
  fi
}

# write_alice_config DIR PLUGIN ROOT_URL UI_ID: a libpurple config dir with
# the plugin in DIR/plugins and alice's account, signing in at start in the
# UI UI_ID (gnt-purple for Finch, gtk-gaim for Pidgin).
write_alice_config() {
  local dir=$1 plugin=$2 root_url=$3 ui_id=$4
  mkdir -p "$dir/plugins"
  cp "$plugin" "$dir/plugins/"
  cat >"$dir/accounts.xml" <<XML
<?xml version='1.0' encoding='UTF-8' ?>
<account version='1.0'>
  <account>
    <protocol>prpl-ucwa</protocol>
    <name>alice@example.test</name>
    <password>alice-password</password>
    <settings>
      <setting name='server' type='string'>$root_url</setting>
    </settings>
    <settings ui='$ui_id'>
      <setting name='auto-login' type='bool'>1</setting>
    </settings>
  </account>
</account>
XML
}
