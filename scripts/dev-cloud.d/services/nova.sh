# shellcheck shell=bash
# nova.sh - Nova: api (:8774), conductor, scheduler and compute with the FAKE
# virt driver (no VMs: instances exist in the database and in the driver's
# memory only, as in DevStack's fake-driver scale tests).

NOVA_PORT=8774
NOVA_DAEMONS=(nova-conductor nova-scheduler nova-compute nova-api)

nova_manage() {
  python_tool nova-manage nova.cmd.manage:main --config-file "$STATE_DIR/etc/nova/nova.conf" "$@"
}

nova_cell1_exists() {
  "$PY" "$LIB_DIR/launch.py" nova-manage nova.cmd.manage:main \
    --config-file "$STATE_DIR/etc/nova/nova.conf" cell_v2 list_cells 2>/dev/null | grep -q ' cell1 '
}

nova_db_sync() {
  nova_manage api_db sync
  nova_manage cell_v2 map_cell0 --database_connection "$(sql_url nova_cell0)"
  if ! nova_cell1_exists; then
    nova_manage cell_v2 create_cell --name cell1 --transport-url "$TRANSPORT_URL" \
      --database_connection "$(sql_url nova)"
  fi
  nova_manage db sync
}

nova_compute_registered() {
  [ "$(mariadb_query "SELECT COUNT(*) FROM nova.compute_nodes WHERE host = '$CLOUD_HOSTNAME' AND deleted = 0")" -gt 0 ]
}

nova_host_mapped() {
  [ "$(mariadb_query "SELECT COUNT(*) FROM nova_api.host_mappings WHERE host = '$CLOUD_HOSTNAME'")" -gt 0 ]
}

# nova_ready: once its APIs answer, the compute host must be mapped into
# cell1 (after it has registered itself) before a server can be scheduled
nova_ready() {
  wait_ready nova-compute 120 nova_compute_registered
  if ! nova_host_mapped; then
    nova_manage cell_v2 discover_hosts
    nova_host_mapped || die "nova-manage cell_v2 discover_hosts did not map host $CLOUD_HOSTNAME"
  fi
}

step_nova() {
  local etc=$STATE_DIR/etc/nova data=$STATE_DIR/nova changed=0 daemon
  mkdir -p "$etc" "$data"/{instances,locks}
  deb_extract nova-common /usr/share/nova-common/api-paste.ini "$etc/api-paste.ini"
  write_config "$etc/nova.conf" <<EOF && changed=1
[DEFAULT]
host = $CLOUD_HOSTNAME
my_ip = $HOST
state_path = $data
instances_path = $data/instances
transport_url = $TRANSPORT_URL
compute_driver = fake.FakeDriver
enabled_apis = osapi_compute
osapi_compute_listen = $HOST
osapi_compute_listen_port = $NOVA_PORT
osapi_compute_workers = 1
# the fake driver plugs no VIFs: never wait for neutron's vif-plugged event
vif_plugging_is_fatal = false
vif_plugging_timeout = 0
[api]
auth_strategy = keystone
[wsgi]
api_paste_config = $etc/api-paste.ini
[api_database]
connection = $(sql_url nova_api)
[database]
connection = $(sql_url nova)
[conductor]
workers = 1
[scheduler]
workers = 1
discover_hosts_in_cells_interval = 30
[oslo_concurrency]
lock_path = $data/locks
[vnc]
enabled = false
[glance]
region_name = $REGION
[cinder]
os_region_name = $REGION
$(auth_section keystone_authtoken nova)
$(auth_section placement placement)
$(auth_section neutron neutron)
EOF
  rabbitmq_wait
  once "$data/.db-synced" nova_db_sync
  restart_changed $changed "${NOVA_DAEMONS[@]}"
  ensure_port_free nova-api $NOVA_PORT
  # nova-compute reports its resources to Placement as it starts (and then
  # only every minute): Placement must answer first
  wait_ready placement 120 http_answers "http://$HOST:$PLACEMENT_PORT/"
  for daemon in "${NOVA_DAEMONS[@]}"; do
    python_daemon "$daemon" "nova.cmd.${daemon#nova-}:main" --config-file "$etc/nova.conf"
  done
  STEP_NOTE="started: http://$HOST:$NOVA_PORT/v2.1 (fake virt driver, host $CLOUD_HOSTNAME)"
}
