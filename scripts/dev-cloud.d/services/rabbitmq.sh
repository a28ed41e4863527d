# shellcheck shell=bash
# rabbitmq.sh - RabbitMQ, the message bus of nova, neutron and cinder,
# loopback only.  Its built-in guest/guest user may connect from localhost,
# which is all we need (no rabbitmqctl calls: each costs seconds).
# It starts early (step rabbitmq) and is waited for by the first service
# that needs it (rabbitmq_wait), so that its start overlaps Keystone's.

RABBITMQ_PORT=5672

step_rabbitmq() {
  local base=$STATE_DIR/rabbitmq
  mkdir -p "$base"
  chown rabbitmq:rabbitmq "$base"
  ensure_port_free epmd 4369
  ensure_port_free rabbitmq $RABBITMQ_PORT
  # our own epmd (Erlang port mapper), so that it is ours to stop
  daemon_start epmd setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups \
    epmd -address "$HOST"
  daemon_start rabbitmq \
    HOME=/var/lib/rabbitmq \
    RABBITMQ_NODENAME=rabbit@localhost \
    RABBITMQ_NODE_IP_ADDRESS="$HOST" RABBITMQ_NODE_PORT=$RABBITMQ_PORT \
    ERL_EPMD_ADDRESS="$HOST" RABBITMQ_DIST_PORT=25672 \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
    RABBITMQ_MNESIA_BASE="$base/mnesia" RABBITMQ_LOG_BASE="$base" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$base/enabled_plugins" \
    setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups /usr/lib/rabbitmq/bin/rabbitmq-server
  STEP_NOTE="starting on $HOST:$RABBITMQ_PORT (waited for before nova, neutron, cinder)"
}

rabbitmq_wait() { wait_ready rabbitmq 120 port_open $RABBITMQ_PORT; }
