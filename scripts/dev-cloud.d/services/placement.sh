# shellcheck shell=bash
# placement.sh - Placement API under uwsgi on :8778.

PLACEMENT_PORT=8778

placement_db_sync() {
  run_logged "$STATE_DIR/log/placement-manage.log" \
    placement-manage --config-file "$STATE_DIR/etc/placement/placement.conf" db sync
}

step_placement() {
  local etc=$STATE_DIR/etc/placement data=$STATE_DIR/placement changed=0
  mkdir -p "$etc" "$data"
  write_config "$etc/placement.conf" <<EOF && changed=1
[DEFAULT]
log_file = $(daemon_log placement)
[placement_database]
connection = $(sql_url placement)
[api]
auth_strategy = keystone
$(auth_section keystone_authtoken placement)
EOF
  uwsgi_ini $PLACEMENT_PORT /usr/bin/placement-api 1 4 | write_config "$etc/uwsgi.ini" && changed=1
  once "$data/.db-synced" placement_db_sync
  restart_changed $changed placement
  ensure_port_free placement $PLACEMENT_PORT
  daemon_start placement OS_PLACEMENT_CONFIG_DIR="$etc" uwsgi-core --ini "$etc/uwsgi.ini"
  STEP_NOTE="started: http://$HOST:$PLACEMENT_PORT"
}
