#!/bin/sh
# overdue: report cron jobs to Overdue with curl alone, for hosts without Node.
#
#   overdue exec <check> [--] <command> [args...]
#       Run a command as one monitored run: a start signal, then its exit status with the last 10 KB of its
#       output. Exits with the command's own status. SIGTERM and SIGHUP are passed on to the command; SIGINT is
#       passed on as SIGTERM (a shell script cannot give a background command its SIGINT back). If Overdue is
#       unreachable the command still runs, and reporting gives up after OVERDUE_TIMEOUT seconds.
#   overdue ping <check> [start|success|fail|log|progress [0-100]|<exit status 0-255>] [-m <message>]
#       Send one signal. Exits 1 when Overdue could not be reached or refused it.
#
# <check> is a check's UUID, its 8-character key, {ping_key}/{slug}, or a full ping URL.
# Settings (environment): OVERDUE_URL (where Overdue runs; the server that handed out this script filled in
# its own address below), OVERDUE_TIMEOUT (seconds one signal may take, default 5), OVERDUE_QUIET=1 (no
# warnings on stderr). Needs only a POSIX shell and curl.

OVERDUE_SERVED_URL='@OVERDUE_URL@'
OVERDUE_SCRIPT_VERSION=1

usage() {
  sed -n '3,14s/^# \{0,1\}//p' "$0" >&2 2>/dev/null || printf 'usage: overdue exec <check> [--] <command> [args...] | overdue ping <check> [action]\n' >&2
}

warn() {
  [ -n "${OVERDUE_QUIET:-}" ] || printf 'overdue: %s\n' "$*" >&2
}

# Where Overdue runs, without a trailing slash: $OVERDUE_URL, else the address baked in when this was served.
base_url() {
  url=${OVERDUE_URL:-$OVERDUE_SERVED_URL}
  case $url in
    @*) url=http://127.0.0.1:8000 ;;
  esac
  while :; do
    case $url in
      */) url=${url%/} ;;
      *) break ;;
    esac
  done
  printf '%s' "$url"
}

# Percent-encodes every byte, which is always valid in a query string.
urlencode() {
  printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n' | sed 's/\(..\)/%\1/g'
}

# The ping URL of a check and an action suffix (e.g. "start", "3", "progress/50").
ping_url() {
  case $1 in
    http://* | https://*) u=${1%/} ;;
    *) u="$(base_url)/ping/$1" ;;
  esac
  [ -z "$2" ] || u="$u/$2"
  printf '%s' "$u"
}

# send URL [curl options...]: one signal. Returns 0 when Overdue answered 2xx (the signal is stored), else warns.
send() {
  target=$1
  shift
  timeout=${OVERDUE_TIMEOUT:-5}
  if ! command -v curl >/dev/null 2>&1; then
    warn "curl is not installed, so nothing was reported to Overdue"
    return 1
  fi
  if problem=$(curl -fsS -o /dev/null -m "$timeout" --retry 2 --retry-max-time "$timeout" "$@" "$target" 2>&1); then
    return 0
  fi
  warn "could not report to ${target%%\?*}: ${problem#curl: }${warn_suffix:-}"
  return 1
}

# A run id shared by the run's signals, so overlapping runs of one check stay apart.
new_run_id() {
  id=$(od -An -N8 -tx1 /dev/urandom 2>/dev/null | tr -d ' \n')
  [ -n "$id" ] || id="$$$(date +%s)"
  printf '%s' "$id"
}

cmd_ping() {
  [ $# -ge 1 ] || { usage; exit 2; }
  check=$1
  shift
  suffix=
  message=
  while [ $# -gt 0 ]; do
    case $1 in
      -m | --message)
        [ $# -ge 2 ] || { warn "-m needs a message"; exit 2; }
        message=$2
        shift 2
        ;;
      *)
        suffix=${suffix:+$suffix/}$1
        shift
        ;;
    esac
  done
  case $suffix in
    "" | success) suffix= ;;
    start | fail | log | progress | end/success | end/fail) ;;
    progress/[0-9] | progress/[0-9][0-9] | progress/100) ;;
    [0-9] | [0-9][0-9] | [0-9][0-9][0-9]) [ "$suffix" -le 255 ] || { warn "an exit status is 0-255; got $suffix"; exit 2; } ;;
    *)
      warn "unknown action \"$suffix\"; use start, success, fail, log, progress [0-100] or an exit status 0-255"
      exit 2
      ;;
  esac
  query="host=$(urlencode "$(uname -n)")"
  [ -z "$message" ] || query="$query&msg=$(urlencode "$message")"
  send "$(ping_url "$check" "$suffix")?$query" || exit 1
}

# Runs the command with its output passed through (and its last 10 KB kept in $work/last), in the background so
# the signals this script catches can be passed on. Sets $status; returns 1 when it could not set up the capture.
run_command() {
  mkfifo "$work/out" "$work/err" "$work/tail" || return 1
  tail -c 10240 <"$work/tail" >"$work/last" &
  tail_pid=$!
  # Hold the tail's pipe open ourselves: otherwise it ends when the first of the two streams does.
  exec 8>"$work/tail"
  { tee "$work/tail" <"$work/out"; : >"$work/out.done"; } &
  { tee "$work/tail" <"$work/err" >&2; : >"$work/err.done"; } &
  # An asynchronous command gets /dev/null as stdin unless told otherwise: hand it ours (saved on fd 7).
  "$@" <&7 7<&- 8>&- >"$work/out" 2>"$work/err" &
  child=$!
  exec 8>&-
  caught=
  trap 'caught=TERM; kill -TERM "$child" 2>/dev/null' TERM
  trap 'caught=HUP; kill -HUP "$child" 2>/dev/null' HUP
  trap 'caught=TERM; kill -TERM "$child" 2>/dev/null' INT
  while :; do
    wait "$child"
    status=$?
    # wait also returns when a trapped signal arrives; the command may still be running.
    kill -0 "$child" 2>/dev/null || break
  done
  trap - INT
  # A process the command left in the background may hold its output open: wait for that five seconds at most
  # (the output normally ends with the command; a loaded machine may take a moment to pass the last of it on).
  until_s=$(($(date +%s) + 5))
  while [ ! -e "$work/out.done" ] || [ ! -e "$work/err.done" ]; do
    if [ "$(date +%s)" -gt "$until_s" ]; then
      rm -f "$work/last"
      return 0
    fi
    sleep 0.05 2>/dev/null || sleep 1
  done
  wait "$tail_pid"
  return 0
}

cmd_exec() {
  [ $# -ge 1 ] || { usage; exit 2; }
  check=$1
  shift
  [ "${1:-}" != -- ] || shift
  [ $# -ge 1 ] || { warn "usage: overdue exec <check> [--] <command> [args...]"; exit 2; }
  rid=$(new_run_id)
  warn_suffix=' (the command is not affected)'
  query="rid=$rid&host=$(urlencode "$(uname -n)")"
  began=$(date +%s)
  # The start signal travels while the command runs; the end waits for it so the two arrive in order.
  send "$(ping_url "$check" start)?$query&msg=$(urlencode "started ${1##*/}")" &
  start_pid=$!

  work=$(mktemp -d 2>/dev/null) || work="${TMPDIR:-/tmp}/overdue.$$"
  [ -d "$work" ] || mkdir -m 700 "$work" 2>/dev/null || work=
  exec 7<&0
  status=
  if [ -n "$work" ] && run_command "$@"; then
    :
  else
    # No place for the output's tail: run the command as it is and report only its status.
    "$@" <&7 7<&-
    status=$?
    caught=
  fi
  exec 7<&-
  took=$(($(date +%s) - began))
  if [ "$status" -gt 128 ] && [ -n "$caught" ]; then
    message="killed by SIG$caught after ${took} s"
  else
    message="exit status $status after ${took} s"
  fi
  wait "$start_pid" 2>/dev/null
  if [ -n "$work" ] && [ -s "$work/last" ]; then
    send "$(ping_url "$check" "$status")?$query&msg=$(urlencode "$message")" \
      -H 'content-type: text/plain; charset=utf-8' --data-binary "@$work/last"
  else
    send "$(ping_url "$check" "$status")?$query&msg=$(urlencode "$message")"
  fi
  [ -z "$work" ] || rm -rf "$work"
  if [ -n "$caught" ] && [ "$status" -gt 128 ]; then
    # Die of the signal the command died of, so whoever started us sees what really happened.
    trap - "$caught"
    kill -s "$caught" $$
  fi
  exit "$status"
}

case ${1:-} in
  exec) shift; cmd_exec "$@" ;;
  ping) shift; cmd_ping "$@" ;;
  version | --version | -V) printf 'overdue.sh %s (Overdue at %s)\n' "$OVERDUE_SCRIPT_VERSION" "$(base_url)" ;;
  help | --help | -h) usage ;;
  *) usage; exit 2 ;;
esac
