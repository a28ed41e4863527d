# shellcheck shell=bash
# keystone.sh - Keystone (identity v3, fernet tokens) under uwsgi on :5000,
# plus the admin credentials (openrc, clouds.yaml) and the service catalog.

KEYSTONE_PORT=5000
OPENSTACK_SERVICE_USERS=(glance placement nova neutron cinder)

keystone_manage() {
  run_logged "$STATE_DIR/log/keystone-manage.log" \
    keystone-manage --config-file "$STATE_DIR/etc/keystone/keystone.conf" "$@"
}

keystone_db_setup() {
  keystone_manage db_sync
  keystone_manage fernet_setup --keystone-user root --keystone-group root
  keystone_manage credential_setup --keystone-user root --keystone-group root
}

keystone_bootstrap() {
  keystone_manage bootstrap --bootstrap-password "$PASSWORD" \
    --bootstrap-username admin --bootstrap-project-name admin --bootstrap-role-name admin \
    --bootstrap-admin-url "$KEYSTONE_URL" --bootstrap-internal-url "$KEYSTONE_URL" \
    --bootstrap-public-url "$KEYSTONE_URL" --bootstrap-region-id "$REGION"
}

step_keystone() {
  local etc=$STATE_DIR/etc/keystone data=$STATE_DIR/keystone changed=0 rounds_file
  mkdir -p "$etc" "$data"
  write_config "$etc/keystone.conf" <<EOF && changed=1
[DEFAULT]
log_file = $(daemon_log keystone)
[database]
connection = $(sql_url keystone)
[token]
provider = fernet
[fernet_tokens]
key_repository = $data/fernet-keys
[credential]
key_repository = $data/credential-keys
[identity]
# bcrypt cost of the passwords Keystone stores: its default, 12, costs ~250 ms
# per password check; 4 (bcrypt's minimum) ~1 ms.  DEV_CLOUD_KEYSTONE_HASH_ROUNDS
password_hash_rounds = $KEYSTONE_HASH_ROUNDS
EOF
  # 2 processes x 2 threads: enough for rally-style concurrency on 2 cores
  uwsgi_ini $KEYSTONE_PORT /usr/bin/keystone-wsgi-public 2 2 | write_config "$etc/uwsgi.ini" && changed=1
  once "$data/.db-synced" keystone_db_setup
  rounds_file=$data/.password-hash-rounds
  if [ ! -e "$data/.bootstrapped" ]; then
    keystone_bootstrap
    echo "$KEYSTONE_HASH_ROUNDS" >"$rounds_file"
    touch "$data/.bootstrapped"
  fi
  restart_changed $changed keystone
  ensure_port_free keystone $KEYSTONE_PORT
  daemon_start keystone OS_KEYSTONE_CONFIG_FILES="$etc/keystone.conf" uwsgi-core --ini "$etc/uwsgi.ini"
  wait_ready keystone 120 http_answers "$KEYSTONE_URL"
  write_credentials
  # a password's bcrypt cost is fixed when it is set: with other hash rounds,
  # set our users' passwords again (Keystone now runs with the new rounds)
  if [ "$(cat "$rounds_file")" != "$KEYSTONE_HASH_ROUNDS" ]; then
    with_admin_env "$PY" "$LIB_DIR/provision.py" reset-passwords admin "${OPENSTACK_SERVICE_USERS[@]}"
    echo "$KEYSTONE_HASH_ROUNDS" >"$rounds_file"
  fi
  STEP_NOTE="ready on $KEYSTONE_URL (password hash rounds $KEYSTONE_HASH_ROUNDS)"
}

# openrc and clouds.yaml (cloud 'dev-cloud') in the state dir.  The password
# is a throwaway one for a loopback-only cloud, so the files are readable.
write_credentials() {
  write_config "$STATE_DIR/openrc" <<EOF || true
# rally-gate dev cloud: admin credentials (source this file)
export OS_AUTH_URL=$KEYSTONE_URL
export OS_IDENTITY_API_VERSION=3
export OS_AUTH_TYPE=password
export OS_USERNAME=admin
export OS_PASSWORD=$PASSWORD
export OS_PROJECT_NAME=admin
export OS_USER_DOMAIN_NAME=Default
export OS_PROJECT_DOMAIN_NAME=Default
export OS_REGION_NAME=$REGION
export OS_INTERFACE=public
EOF
  write_config "$STATE_DIR/clouds.yaml" <<EOF || true
# rally-gate dev cloud (scripts/dev-cloud): use with
#   OS_CLIENT_CONFIG_FILE=$STATE_DIR/clouds.yaml openstack --os-cloud dev-cloud ...
clouds:
  dev-cloud:
    auth:
      auth_url: $KEYSTONE_URL
      username: admin
      password: $PASSWORD
      project_name: admin
      user_domain_name: Default
      project_domain_name: Default
    region_name: $REGION
    interface: public
    identity_api_version: 3
EOF
  chmod 644 "$STATE_DIR/openrc" "$STATE_DIR/clouds.yaml"
}

# step: catalog - service users and endpoints of every requested service
step_catalog() {
  local -a specs=()
  local service
  for service in "${SERVICES[@]}"; do
    case $service in
      glance)    specs+=("glance glance image http://$HOST:9292") ;;
      placement) specs+=("placement placement placement http://$HOST:8778") ;;
      nova)      specs+=("nova nova compute http://$HOST:8774/v2.1") ;;
      neutron)   specs+=("neutron neutron network http://$HOST:9696") ;;
      cinder)    specs+=("cinder cinderv3 volumev3 http://$HOST:8776/v3/%(project_id)s"
                         "cinder cinder block-storage http://$HOST:8776/v3/%(project_id)s") ;;
    esac
  done
  if [ ${#specs[@]} = 0 ]; then
    STEP_NOTE="identity only: nothing to register"
    return 0
  fi
  with_admin_env "$PY" "$LIB_DIR/provision.py" catalog "${specs[@]}"
  STEP_NOTE="${#specs[@]} services registered in region $REGION"
}

# with_admin_env COMMAND...: run COMMAND with the openrc's variables
with_admin_env() {
  ( set -a; . "$STATE_DIR/openrc"; set +a; exec "$@" )
}
