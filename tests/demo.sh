#!/bin/bash
# The demo in one command: builds the plugin, starts the mock UCWA server and
# opens Finch signed in as alice@example.test, with bob, carol and echo as
# contacts. Finch runs on a throwaway config directory: ~/.purple is untouched.
#
#   tests/demo.sh [--events-before-201] [--pidgin] [--keep]
#
#   --events-before-201  make the mock send an operation's events before its
#                        201 Created answer (the race the plugin must survive)
#   --pidgin             run Pidgin instead of Finch (if installed)
#   --keep               keep the config directory (logs) after quitting
set -euo pipefail

cd "$(dirname "$0")/.."
project_dir=$PWD

usage() {
  sed -n '2,12s/^# \{0,1\}//p' "$0" >&2
  exit 2
}

mock_args=()
ui=finch
keep=false
for arg in "$@"; do
  case "$arg" in
    --events-before-201) mock_args+=("$arg") ;;
    --pidgin) ui=pidgin ;;
    --keep) keep=true ;;
    -h|--help) usage ;;
    *) echo "demo.sh: unknown option '$arg'" >&2; usage ;;
  esac
done

if [ "$ui" = pidgin ]; then
  command -v pidgin >/dev/null ||
    { echo "demo.sh: Pidgin is not installed (apt-get install pidgin)" >&2; exit 1; }
  [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] ||
    { echo "demo.sh: Pidgin needs a graphical display" >&2; exit 1; }
  ui_id=gtk-gaim
else
  ui_id=gnt-purple
fi

tests/deps.sh build run demo

# Build, or bring an existing build up to date (meson compile is incremental).
if [ ! -f build/build.ninja ]; then
  meson setup build
fi
meson compile -C build
plugin=build/src/purple/libucwa.so
mock=build/tests/mock/ucwa-mock-server
for file in "$plugin" "$mock"; do
  [ -x "$file" ] || [ -f "$file" ] ||
    { echo "demo.sh: $file was not built (is -Dtests=true set for build/?)" >&2; exit 1; }
done

dir=$(mktemp -d "${TMPDIR:-/tmp}/purple-ucwa-demo.XXXXXX")
. tests/purple-session.sh
cleanup() {
  stop_mock
  if $keep; then
    echo "Logs kept in $dir"
  else
    rm -rf "$dir"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_mock "$dir" "$mock" --verbose "${mock_args[@]}" ||
  { echo "demo.sh: the mock server did not start" >&2; exit 1; }
base_url=$MOCK_BASE_URL
port=$MOCK_PORT
write_alice_config "$dir" "$plugin" "$MOCK_ROOT_URL" "$ui_id"
# Show offline contacts too (bob and carol start offline), make Finch's
# buddy list wide enough for the names, and send typing notifications
# (Finch's default is not to).
cat >"$dir/prefs.xml" <<'XML'
<?xml version='1.0' encoding='UTF-8' ?>
<pref version='1' name='/'>
  <pref name='finch'>
    <pref name='conversations'>
      <pref name='notify_typing' type='bool' value='1'/>
    </pref>
    <pref name='blist'>
      <pref name='showoffline' type='bool' value='1'/>
      <pref name='size'>
        <pref name='width' type='int' value='32'/>
        <pref name='height' type='int' value='20'/>
      </pref>
    </pref>
  </pref>
  <pref name='pidgin'>
    <pref name='blist'>
      <pref name='show_offline_buddies' type='bool' value='1'/>
    </pref>
  </pref>
</pref>
XML

if [ "$ui" = pidgin ]; then
  talk="double-click Echo Bot in the buddy list and type a message"
  arrive="a conversation window with Bob Berg opens"
  quit="close the buddy list (Buddies > Quit, or Ctrl+Q)"
else
  talk="select Echo Bot with C-n/C-p (arrow keys may not work in tmux), press Enter, type, Enter"
  arrive="a window with Bob Berg opens behind; M-n (Alt+n) switches windows"
  quit="press M-q (Alt+q, or Esc then q)"
fi
cat <<BANNER

  purple-ucwa demo: $ui signs in as alice@example.test (contacts bob, carol
  and echo) to the mock UCWA server at $base_url

  Talk to echo:    $talk;
                   echo answers "echo: <your text>".
  IM from bob:     in another terminal, run
                     $project_dir/tests/send-im.sh --port $port bob@example.test alice@example.test 'Hi Alice'
                   or
                     curl -X POST -H 'Content-Type: application/json' \\
                       -d '{"from":"bob@example.test","to":"alice@example.test","text":"Hi Alice"}' \\
                       ${base_url}mock/v1/send-im
                   and $arrive.
  Bob typing:      curl -X POST -H 'Content-Type: application/json' \\
                       -d '{"from":"bob@example.test","to":"alice@example.test","typing":true}' \\
                       ${base_url}mock/v1/typing
  Quit:            $quit.

  The mock logs every request to $dir/mock.log; $ui's own
  errors go to $dir/$ui.log (both removed on exit unless --keep).

BANNER

if [ -t 0 ] && [ "$ui" = finch ]; then
  read -r -p "Press Enter to start Finch (this text will be hidden; the port is $port)..." _
fi

status=0
"$ui" -c "$dir" 2>"$dir/$ui.log" || status=$?
if [ "$status" -ne 0 ]; then
  echo "demo.sh: $ui exited with status $status; the end of its log:" >&2
  tail -n 20 "$dir/$ui.log" >&2
  keep=true
fi
exit "$status"
