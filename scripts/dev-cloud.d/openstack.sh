# shellcheck shell=bash
# openstack.sh - pieces shared by the OpenStack services' set-up: database
# URLs, keystonemiddleware sections, uwsgi configs, python daemons.
# Expects HOST, PASSWORD, REGION, STATE_DIR and LIB_DIR to be set.

PY=/usr/bin/python3   # Debian's python: a python3 earlier in PATH may lack Debian's libraries
KEYSTONE_URL=http://$HOST:5000/v3
TRANSPORT_URL=rabbit://guest:guest@$HOST:5672/

# sql_url DATABASE
sql_url() { echo "mysql+pymysql://openstack:$PASSWORD@$HOST/$1?charset=utf8"; }

# auth_section SECTION USER: a keystonemiddleware / service-user section
auth_section() {
  cat <<EOF
[$1]
www_authenticate_uri = http://$HOST:5000
auth_url = http://$HOST:5000
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $2
password = $PASSWORD
region_name = $REGION
EOF
}

# uwsgi_ini PORT WSGI-SCRIPT PROCESSES THREADS
uwsgi_ini() {
  cat <<EOF
[uwsgi]
plugins = python3
http-socket = $HOST:$1
wsgi-file = $2
master = true
processes = $3
threads = $4
enable-threads = true
lazy-apps = true
die-on-term = true
buffer-size = 65535
thunder-lock = true
add-header = Connection: close
disable-logging = true
EOF
}

# python_daemon NAME MODULE:FUNCTION ARGS...: start an OpenStack daemon from
# its entry point, logging (oslo.log) to log/NAME.log
python_daemon() {
  local name=$1 entry=$2
  shift 2
  daemon_start "$name" "$PY" "$LIB_DIR/launch.py" "$name" "$entry" "$@" --log-file "$(daemon_log "$name")"
}

# python_tool NAME MODULE:FUNCTION ARGS...: run a *-manage tool, logged to
# log/NAME.log
python_tool() {
  local name=$1 entry=$2
  shift 2
  run_logged "$STATE_DIR/log/$name.log" "$PY" "$LIB_DIR/launch.py" "$name" "$entry" "$@"
}

# restart_changed CHANGED NAME...: a service whose configuration just changed
# is stopped here, so that starting it again picks the new one up
restart_changed() {
  local changed=$1 name
  shift
  [ "$changed" = 1 ] || return 0
  for name in "$@"; do
    if daemon_running "$name"; then
      echo "configuration of $name changed: restarting it"
      daemons_stop "$name"
    fi
  done
}
