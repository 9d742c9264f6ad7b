#!/bin/bash
# Makes a mock-server user send an instant message, as if typed elsewhere.
#
#   tests/send-im.sh --port PORT FROM TO TEXT
#   tests/send-im.sh --url http://127.0.0.1:PORT/ FROM TO TEXT
#   UCWA_MOCK_URL=http://127.0.0.1:PORT/ tests/send-im.sh FROM TO TEXT
#
# Example: tests/send-im.sh --port 40123 bob@example.test alice@example.test 'Hi Alice'
# Posts to the mock's control API, POST /mock/v1/send-im.
set -euo pipefail

usage() {
  sed -n '2,9s/^# \{0,1\}//p' "$0" >&2
  exit 2
}

base=${UCWA_MOCK_URL:-}
while [ $# -gt 0 ]; do
  case "$1" in
    --port) [ $# -ge 2 ] || usage; base="http://127.0.0.1:$2/"; shift 2 ;;
    --url) [ $# -ge 2 ] || usage; base=$2; shift 2 ;;
    -h|--help) usage ;;
    --) shift; break ;;
    -*) usage ;;
    *) break ;;
  esac
done
[ $# -eq 3 ] || usage
[ -n "$base" ] || { echo "send-im.sh: give --port, --url or UCWA_MOCK_URL" >&2; exit 2; }

# A JSON string literal for arbitrary text.
json_string() {
  local s=$1 out="" c i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case "$c" in
      '"') out+='\"' ;;
      '\') out+='\\' ;;
      $'\n') out+='\n' ;;
      $'\r') out+='\r' ;;
      $'\t') out+='\t' ;;
      *)
        if [[ "$c" < ' ' ]]; then
          printf -v c '\\u%04x' "'$c"
        fi
        out+=$c ;;
    esac
  done
  printf '"%s"' "$out"
}

body=$(printf '{"from":%s,"to":%s,"text":%s}' \
  "$(json_string "$1")" "$(json_string "$2")" "$(json_string "$3")")
url="${base%/}/mock/v1/send-im"

# Prints the server's answer and fails unless the status is 2xx.
check_answer() {
  local status=$1 answer=$2
  case "$status" in
    2??) exit 0 ;;
    *) echo "send-im.sh: the server answered ${status:-nothing}: $answer" >&2; exit 1 ;;
  esac
}

if command -v curl >/dev/null 2>&1; then
  answer=$(curl -sS -X POST -H 'Content-Type: application/json' --data-binary "$body" \
    -w '\n%{http_code}' "$url") || exit 1
  check_answer "${answer##*$'\n'}" "${answer%$'\n'*}"
fi

# No curl: speak HTTP/1.0 over bash's /dev/tcp.
rest=${url#http://}
hostport=${rest%%/*}
path=/${rest#*/}
host=${hostport%%:*}
port=${hostport##*:}
[ "$port" != "$hostport" ] || port=80
length=$(LC_ALL=C; echo "${#body}")  # in bytes, not characters
exec 3<>"/dev/tcp/$host/$port"
printf 'POST %s HTTP/1.0\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s' \
  "$path" "$hostport" "$length" "$body" >&3
status_line=""
read -r status_line <&3 || true
answer=""
while IFS= read -r line <&3 && [ "$line" != $'\r' ]; do :; done  # headers
IFS= read -r -d '' answer <&3 || true
exec 3<&-
status=${status_line#HTTP/1.? }
check_answer "${status%% *}" "$answer"
