# shellcheck shell=bash
# mariadb.sh - MariaDB for every service's database (SQLite does not do:
# Keystone under uwsgi threads gets "database is locked" and HTTP 500s).
# Its own datadir and socket under the state dir, loopback only, small buffers.

MARIADB_PORT=3306
MARIADB_DATABASES=(keystone glance placement nova_api nova nova_cell0 neutron cinder)

mariadb_socket() { echo "$STATE_DIR/run/mysqld/mysqld.sock"; }

# mariadb_query SQL: one value from our MariaDB, as root over its socket
mariadb_query() { mariadb --socket="$(mariadb_socket)" -uroot -N -B -e "$1"; }

# mariadb_ping SOCKET
mariadb_ping() { mariadb-admin --socket="$1" -uroot ping >/dev/null 2>&1; }

step_mariadb() {
  local conf=$STATE_DIR/etc/mysql/my.cnf socket changed=0 db sql=""
  socket=$(mariadb_socket)
  mkdir -p "$(dirname "$socket")"
  chown mysql:mysql "$(dirname "$socket")"
  write_config "$conf" <<EOF && changed=1
[mysqld]
user = mysql
datadir = $STATE_DIR/mysql
socket = $socket
pid-file = $STATE_DIR/run/mysqld/mariadbd.pid
bind-address = $HOST
port = $MARIADB_PORT
skip-name-resolve
skip-log-bin
performance_schema = OFF
innodb_buffer_pool_size = 64M
innodb_log_file_size = 32M
# a throwaway test cloud: flush the log once a second, not at every commit
innodb_flush_log_at_trx_commit = 2
max_connections = 1000
character-set-server = utf8
collation-server = utf8_general_ci
EOF
  if [ ! -d "$STATE_DIR/mysql/mysql" ]; then
    run_logged "$STATE_DIR/log/mariadb-install-db.log" \
      mariadb-install-db --defaults-file="$conf" --user=mysql --skip-test-db
  fi
  restart_changed $changed mariadb
  ensure_port_free mariadb $MARIADB_PORT
  daemon_start mariadb /usr/sbin/mariadbd --defaults-file="$conf"
  wait_ready mariadb 60 mariadb_ping "$socket"
  # one user for every service, and their databases (idempotent)
  for db in "${MARIADB_DATABASES[@]}"; do sql+="CREATE DATABASE IF NOT EXISTS $db; "; done
  mariadb --socket="$socket" -uroot <<EOF
CREATE USER IF NOT EXISTS 'openstack'@'%' IDENTIFIED BY '$PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO 'openstack'@'%';
$sql
EOF
  STEP_NOTE="ready on $HOST:$MARIADB_PORT"
}
