# shellcheck shell=bash
# lib.sh - shared helpers of scripts/dev-cloud: progress steps, failure
# reports, daemons started and stopped by pid file, waits and config files.
# Sourced by scripts/dev-cloud; expects STATE_DIR, HOST and T0 to be set.

# ---------------------------------------------------------------------------
# output
# ---------------------------------------------------------------------------

elapsed() { echo $(( $(date +%s) - T0 )); }

say()  { printf '%s\n' "$*"; }
warn() { printf 'dev-cloud: warning: %s\n' "$*" >&2; }

# Failure reports go to fd 8, the caller's stderr saved by scripts/dev-cloud
# (a step's own stderr goes to its log).
# die MESSAGE: stop here with a message (and the current step's log, if any).
die() {
  trap - ERR
  printf '\ndev-cloud: FAILED%s: %s\n' "$(failing_step)" "$*" >&8
  show_log_tail "${CURRENT_LOG:-}"
  exit 1
}

failing_step() { [ -z "${CURRENT_STEP:-}" ] || printf " in step '%s'" "$CURRENT_STEP"; }

# show_log_tail FILE [LINES]: the end of a log, to explain a failure.
show_log_tail() {
  local file=$1 lines=${2:-25}
  [ -n "$file" ] && [ -s "$file" ] || return 0
  printf -- '--- last %s lines of %s ---\n' "$lines" "$file" >&8
  tail -n "$lines" "$file" | sed 's/^/  | /' >&8
  printf -- '---\n' >&8
}

# The ERR trap: any failing command inside a step ends the run with the step
# name and the end of the log the step was writing to.
on_error() {
  local rc=$1 line=$2 cmd=$3
  trap - ERR
  printf '\ndev-cloud: FAILED%s (exit %s at line %s: %s)\n' "$(failing_step)" "$rc" "$line" "$cmd" >&8
  show_log_tail "${CURRENT_LOG:-}"
  exit "$rc"
}

# step NAME FUNCTION [ARGS...]: run one step of `up`, with its output going
# to $STATE_DIR/log/step-NAME.log.  Prints one line: elapsed seconds since
# the start, the step name, what it did (STEP_NOTE) and how long it took.
# A step may point CURRENT_LOG at a daemon's log so that a failure shows it.
step() {
  local name=$1 fn=$2 started
  shift 2
  started=$(date +%s)
  CURRENT_STEP=$name
  CURRENT_LOG=$STATE_DIR/log/step-$name.log
  STEP_NOTE=""
  printf '[%4ss] %-11s ' "$(elapsed)" "$name"
  : >"$CURRENT_LOG"
  "$fn" "$@" >>"$CURRENT_LOG" 2>&1
  printf '%s (%ss)\n' "${STEP_NOTE:-ok}" "$(( $(date +%s) - started ))"
  CURRENT_STEP=""
  CURRENT_LOG=""
}

# ---------------------------------------------------------------------------
# daemons: each one is started in its own session (setsid), so that it leads
# a process group holding its workers and helpers.  Its pid file holds
# "PID STARTTIME" (the kernel's start time of that process), so that a pid
# reused by some other process after a reboot is never taken for ours.
# ---------------------------------------------------------------------------

pid_file() { echo "$STATE_DIR/run/$1.pid"; }
daemon_log() { echo "$STATE_DIR/log/$1.log"; }

# process_start_time PID: field 22 of /proc/PID/stat ("" if no such process).
# A zombie counts as gone: nobody may reap our orphans here.
process_start_time() {
  local stat rest fields
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  rest=${stat##*) }           # the fields after "(comm)", which may hold spaces
  read -r -a fields <<<"$rest"
  [ "${fields[0]}" != Z ] || return 1
  echo "${fields[19]}"
}

# daemon_pid NAME: print the pid of daemon NAME if it is alive and is the very
# process we started; fail otherwise.
daemon_pid() {
  local pid started now
  read -r pid started 2>/dev/null <"$(pid_file "$1")" || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  now=$(process_start_time "$pid") || return 1
  [ "$now" = "$started" ] || return 1
  echo "$pid"
}

daemon_running() { daemon_pid "$1" >/dev/null; }

# daemon_start NAME COMMAND...: start COMMAND detached, in a new session, with
# a clean environment, its output appended to log/NAME.log.  No-op if it runs.
daemon_start() {
  local name=$1 pid
  shift
  if daemon_running "$name"; then
    echo "$name already running (pid $(daemon_pid "$name"))"
    return 0
  fi
  # fd 9 is the state lock and fd 8 our caller's stderr: a daemon keeps neither
  ( cd / && exec setsid env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
      HOME=/root no_proxy=127.0.0.1,localhost "$@" \
      >>"$(daemon_log "$name")" 2>&1 </dev/null 8>&- 9>&- ) &
  pid=$!
  echo "$pid $(process_start_time "$pid")" >"$(pid_file "$name")"
  echo "started $name (pid $pid): $*"
}

# daemons_stop NAME...: stop these daemons together.  SIGTERM to each one's
# process group, up to 20 s for all of them to exit, then SIGKILL for what is
# left of those groups.  Only processes of groups we started are signalled.
daemons_stop() {
  local name pid i alive
  local -a names=() pids=()
  for name in "$@"; do
    if pid=$(daemon_pid "$name"); then
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
      names+=("$name"); pids+=("$pid")
    else
      rm -f "$(pid_file "$name")"
    fi
  done
  [ ${#pids[@]} -gt 0 ] || return 0
  for ((i = 0; i < 40; i++)); do
    alive=0
    for name in "${names[@]}"; do daemon_running "$name" && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.5
  done
  for i in "${!names[@]}"; do
    name=${names[$i]} pid=${pids[$i]}
    if daemon_running "$name"; then
      echo "  $name (pid $pid) did not stop in 20 s: killed"
    else
      echo "  $name (pid $pid) stopped"
    fi
    # the leader if it is still there, and whatever is left in its group
    # (workers, privsep helpers); the group exists only while they do
    if pgrep -g "$pid" >/dev/null 2>&1; then kill -KILL -- "-$pid" 2>/dev/null || true; fi
    rm -f "$(pid_file "$name")"
  done
}

# ---------------------------------------------------------------------------
# ports
# ---------------------------------------------------------------------------

# port_open PORT: something accepts TCP connections on $HOST:PORT
port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null; }

# http_answers URL: the URL answers with any HTTP status
http_answers() {
  local code
  code=$(curl -s -o /dev/null -m 3 -w '%{http_code}' "$1" 2>/dev/null) || true
  [ -n "$code" ] && [ "$code" != 000 ]
}

# ensure_port_free NAME PORT: before starting NAME, make sure no one else
# (another cloud on this machine, a system MariaDB...) already has its port.
ensure_port_free() {
  local name=$1 port=$2
  daemon_running "$name" && return 0
  if port_open "$port"; then
    CURRENT_LOG=""
    die "port $HOST:$port is taken by a process that dev-cloud did not start ($(port_owner "$port")); $name cannot start"
  fi
}

port_owner() {
  ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'users:(.*)' | head -1 || true
}

# wait_ready NAME SECONDS CHECK ARGS...: wait until `CHECK ARGS...` succeeds
# (e.g. http_answers URL), failing early with NAME's log if daemon NAME dies.
wait_ready() {
  local name=$1 limit=$2 i saved_log=${CURRENT_LOG:-}
  shift 2
  CURRENT_LOG=$(daemon_log "$name")
  for ((i = 0; i < limit * 2; i++)); do
    if "$@"; then CURRENT_LOG=$saved_log; return 0; fi
    daemon_running "$name" || die "$name exited during start-up"
    sleep 0.5
  done
  die "$name not ready within $limit s ($*)"
}

# ---------------------------------------------------------------------------
# configuration files
# ---------------------------------------------------------------------------

# write_config FILE: write stdin to FILE if it differs from what is there.
# Returns 0 when the file changed (so that a running daemon gets restarted).
write_config() {
  local file=$1 new
  new=$(cat)
  if [ -f "$file" ] && [ "$(cat "$file")" = "$new" ]; then return 1; fi
  mkdir -p "$(dirname "$file")"
  printf '%s\n' "$new" >"$file"
  return 0
}

# run_logged LOG COMMAND...: run a set-up command (db sync...) with its output
# in LOG, which a failure then shows.
run_logged() {
  local log=$1 saved_log=${CURRENT_LOG:-}
  shift
  CURRENT_LOG=$log
  echo "+ $*" >>"$log"
  "$@" >>"$log" 2>&1
  CURRENT_LOG=$saved_log
}

# once MARKER COMMAND...: run COMMAND unless MARKER exists; create it after.
once() {
  local marker=$1
  shift
  [ -e "$marker" ] && return 0
  "$@"
  touch "$marker"
}
