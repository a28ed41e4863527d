# shellcheck shell=bash
# glance.sh - Glance API on :9292 with a file store under the state dir.

GLANCE_PORT=9292

glance_db_sync() {
  python_tool glance-manage glance.cmd.manage:main --config-file "$STATE_DIR/etc/glance/glance-api.conf" db_sync
}

step_glance() {
  local etc=$STATE_DIR/etc/glance data=$STATE_DIR/glance changed=0
  mkdir -p "$etc" "$data"/{images,staging,tasks,locks}
  deb_extract glance-common /usr/share/glance-common/glance-api-paste.ini "$etc/glance-api-paste.ini"
  write_config "$etc/glance-api.conf" <<EOF && changed=1
[DEFAULT]
bind_host = $HOST
bind_port = $GLANCE_PORT
# 0: serve in the main process, no forked worker (saves ~140 MB)
workers = 0
enabled_backends = fs:file
[database]
connection = $(sql_url glance)
$(auth_section keystone_authtoken glance)
[paste_deploy]
flavor = keystone
config_file = $etc/glance-api-paste.ini
[glance_store]
default_backend = fs
[fs]
filesystem_store_datadir = $data/images/
[os_glance_staging_store]
filesystem_store_datadir = $data/staging/
[os_glance_tasks_store]
filesystem_store_datadir = $data/tasks/
[oslo_concurrency]
lock_path = $data/locks
EOF
  once "$data/.db-synced" glance_db_sync
  restart_changed $changed glance-api
  ensure_port_free glance-api $GLANCE_PORT
  python_daemon glance-api glance.cmd.api:main --config-file "$etc/glance-api.conf"
  STEP_NOTE="started: http://$HOST:$GLANCE_PORT (file store)"
}
