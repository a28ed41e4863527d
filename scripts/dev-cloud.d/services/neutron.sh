# shellcheck shell=bash
# neutron.sh - neutron-server (:9696; ML2 with 'local' tenant networks, the
# router API) and the linuxbridge agent.  There is no data plane: the agent
# only has to be alive for ML2 to bind ports to our host, and as the fake
# virt driver makes no tap devices it never touches the host's networking.

NEUTRON_PORT=9696
NEUTRON_DAEMONS=(neutron-server neutron-linuxbridge-agent)

neutron_db_sync() {
  python_tool neutron-db-manage neutron.db.migration.cli:main \
    --config-file "$STATE_DIR/etc/neutron/neutron.conf" \
    --config-file "$STATE_DIR/etc/neutron/ml2_conf.ini" upgrade heads
}

step_neutron() {
  local etc=$STATE_DIR/etc/neutron data=$STATE_DIR/neutron changed=0
  mkdir -p "$etc" "$data/locks"
  deb_extract neutron-common /usr/share/neutron-common/api-paste.ini "$etc/api-paste.ini"
  write_config "$etc/neutron.conf" <<EOF && changed=1
[DEFAULT]
host = $CLOUD_HOSTNAME
state_path = $data
bind_host = $HOST
bind_port = $NEUTRON_PORT
core_plugin = ml2
service_plugins = router
auth_strategy = keystone
api_paste_config = $etc/api-paste.ini
transport_url = $TRANSPORT_URL
# 0: the API is served by the main process; 1 separate RPC worker
api_workers = 0
rpc_workers = 1
rpc_state_report_workers = 0
# the fake virt driver waits for no events: send nova none
notify_nova_on_port_status_changes = false
notify_nova_on_port_data_changes = false
[database]
connection = $(sql_url neutron)
$(auth_section keystone_authtoken neutron)
$(auth_section nova nova)
[oslo_concurrency]
lock_path = $data/locks
[agent]
root_helper = sudo
[experimental]
# Zed marks the linuxbridge driver experimental; neutron-server exits without this
linuxbridge = true
EOF
  write_config "$etc/ml2_conf.ini" <<EOF && changed=1
[ml2]
type_drivers = local,flat,vlan
tenant_network_types = local
mechanism_drivers = linuxbridge
extension_drivers = port_security
[ml2_type_flat]
flat_networks = *
[securitygroup]
enable_security_group = true
EOF
  write_config "$etc/linuxbridge_agent.ini" <<EOF && changed=1
[linux_bridge]
physical_interface_mappings =
[vxlan]
enable_vxlan = false
[securitygroup]
firewall_driver = noop
enable_security_group = true
[agent]
polling_interval = 2
EOF
  # the agent names itself after the MAC address of some interface other than
  # lo (it never uses it): in a bare network namespace it exits
  if ! ip -o link show | grep -qv ' lo:'; then
    warn "no network interface but lo: neutron-linuxbridge-agent will exit (add e.g. a veth pair)"
  fi
  rabbitmq_wait
  once "$data/.db-synced" neutron_db_sync
  restart_changed $changed "${NEUTRON_DAEMONS[@]}"
  ensure_port_free neutron-server $NEUTRON_PORT
  python_daemon neutron-server neutron.cmd.eventlet.server:main \
    --config-file "$etc/neutron.conf" --config-file "$etc/ml2_conf.ini"
  python_daemon neutron-linuxbridge-agent neutron.cmd.eventlet.plugins.linuxbridge_neutron_agent:main \
    --config-file "$etc/neutron.conf" --config-file "$etc/linuxbridge_agent.ini"
  STEP_NOTE="started: http://$HOST:$NEUTRON_PORT (no data plane)"
}
