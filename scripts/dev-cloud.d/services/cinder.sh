# shellcheck shell=bash
# cinder.sh - Cinder: api (:8776), scheduler, and volume with the FAKE driver
# from cinder's own test tree (FakeLoggingVolumeDriver: volumes exist in the
# database only; no LVM, no iSCSI).

CINDER_PORT=8776
CINDER_DAEMONS=(cinder-scheduler cinder-volume cinder-api)

cinder_db_sync() {
  python_tool cinder-manage cinder.cmd.manage:main --config-file "$STATE_DIR/etc/cinder/cinder.conf" db sync
}

step_cinder() {
  local etc=$STATE_DIR/etc/cinder data=$STATE_DIR/cinder changed=0 daemon
  mkdir -p "$etc" "$data/locks"
  deb_extract cinder-common /usr/share/cinder-common/api-paste.ini "$etc/api-paste.ini"
  deb_extract cinder-common /etc/cinder/resource_filters.json "$etc/resource_filters.json"
  write_config "$etc/cinder.conf" <<EOF && changed=1
[DEFAULT]
host = $CLOUD_HOSTNAME
my_ip = $HOST
state_path = $data
transport_url = $TRANSPORT_URL
auth_strategy = keystone
api_paste_config = $etc/api-paste.ini
resource_query_filters_file = $etc/resource_filters.json
osapi_volume_listen = $HOST
osapi_volume_listen_port = $CINDER_PORT
osapi_volume_workers = 1
enabled_backends = fake
[fake]
volume_driver = cinder.tests.fake_driver.FakeLoggingVolumeDriver
volume_backend_name = fake
[database]
connection = $(sql_url cinder)
$(auth_section keystone_authtoken cinder)
[nova]
region_name = $REGION
[oslo_concurrency]
lock_path = $data/locks
EOF
  rabbitmq_wait
  once "$data/.db-synced" cinder_db_sync
  restart_changed $changed "${CINDER_DAEMONS[@]}"
  ensure_port_free cinder-api $CINDER_PORT
  for daemon in "${CINDER_DAEMONS[@]}"; do
    python_daemon "$daemon" "cinder.cmd.${daemon#cinder-}:main" --config-file "$etc/cinder.conf"
  done
  STEP_NOTE="started: http://$HOST:$CINDER_PORT/v3 (fake volume driver, backend $CLOUD_HOSTNAME@fake)"
}
