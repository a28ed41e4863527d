# shellcheck shell=bash
# packages.sh - the Debian packages the dev cloud needs, installed with apt.
#
# Only Debian's python3-<service> libraries are installed, not the daemon
# packages (keystone, nova-api...): those want debconf, dbconfig-common,
# systemd units and a system-wide set-up.  We start the daemons ourselves.
# The api-paste.ini files live in the <service>-common packages, which are
# only downloaded and unpacked into our state dir, never installed.

APT_LOCK_TIMEOUT=${DEV_CLOUD_APT_LOCK_TIMEOUT:-600}
APT_LISTS_MAX_AGE_MIN=$(( 24 * 60 ))   # older package lists count as stale

# packages_for SERVICE...: the packages these services need, one per line
packages_for() {
  local service
  {
    # the CLI (python3-openstackclient) is not used by dev-cloud itself; it
    # is there for people (openstack --os-cloud dev-cloud ...)
    echo curl procps iproute2 mariadb-server python3-pymysql python3-keystoneauth1 python3-openstackclient
    for service in "$@"; do
      case $service in
        keystone)  echo python3-keystone uwsgi-core uwsgi-plugin-python3 ;;
        glance)    echo python3-glance ;;
        placement) echo python3-placement uwsgi-core uwsgi-plugin-python3 ;;
        nova)      echo python3-nova rabbitmq-server ;;
        # iptables brings ebtables-nft: the kernel may lack the legacy
        # ebtables 'nat' table that the linuxbridge agent lists; sudo is the
        # agent's root helper (it starts its privsep daemons with it)
        neutron)   echo python3-neutron rabbitmq-server iptables sudo ;;
        cinder)    echo python3-cinder rabbitmq-server ;;
      esac
    done
  } | tr ' ' '\n' | sort -u
}

# missing_packages PKG...: those not installed
missing_packages() {
  comm -23 <(printf '%s\n' "$@" | sort -u) \
    <({ dpkg-query -W -f='${Package} ${db:Status-Status}\n' "$@" 2>/dev/null || true; } |
       awk '$2 == "installed" {print $1}' | sort -u)
}

# apt_lists_stale: no package lists at all, or none fetched in the last day
apt_lists_stale() {
  compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null || return 0
  [ -n "$(find /var/lib/apt/lists -maxdepth 0 -mmin -"$APT_LISTS_MAX_AGE_MIN")" ] && return 1
  return 0
}

apt_get() { apt-get -o DPkg::Lock::Timeout="$APT_LOCK_TIMEOUT" -o Acquire::Retries=3 -q "$@"; }

apt_update() { echo "apt-get update"; apt_get update; }

# install_packages PKG...: install with no prompts and no daemon started by a
# maintainer script (a system MariaDB or RabbitMQ would take our ports)
install_packages() {
  local made_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\n# written by rally-gate dev-cloud during apt-get install\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
  fi
  local rc=0
  apt_get -y install --no-install-recommends "$@" || rc=$?
  if [ $rc != 0 ]; then
    # stale lists point at files the mirror no longer has: refresh, retry once
    apt_update && { apt_get -y install --no-install-recommends "$@" && rc=0 || rc=$?; }
  fi
  [ -z "$made_policy" ] || rm -f /usr/sbin/policy-rc.d
  return $rc
}

# step: packages
step_packages() {
  local -a wanted missing
  mapfile -t wanted < <(packages_for "${SERVICES[@]}")
  mapfile -t missing < <(missing_packages "${wanted[@]}")
  if [ ${#missing[@]} = 0 ]; then
    STEP_NOTE="all ${#wanted[@]} installed"
  else
    echo "missing: ${missing[*]}"
    if apt_lists_stale || ! apt-cache show --no-all-versions "${missing[@]}" >/dev/null 2>&1; then
      apt_update
    fi
    install_packages "${missing[@]}"
    STEP_NOTE="installed ${#missing[@]} of ${#wanted[@]} (and their dependencies; log: log/step-packages.log)"
  fi
}

# deb_extract PACKAGE FILE-IN-PACKAGE DEST: copy one file out of a Debian
# package without installing it (kept once extracted).
deb_extract() {
  local package=$1 file=$2 dest=$3 deb
  [ -s "$dest" ] && return 0
  mkdir -p "$STATE_DIR/debs" "$(dirname "$dest")"
  # apt downloads as its _apt user where that user may write
  chown _apt "$STATE_DIR/debs" 2>/dev/null || true
  deb=$(compgen -G "$STATE_DIR/debs/${package}_*.deb" | head -1) || true
  if [ -z "$deb" ]; then
    (cd "$STATE_DIR/debs" && apt_get download "$package")
    deb=$(compgen -G "$STATE_DIR/debs/${package}_*.deb" | head -1)
  fi
  dpkg-deb --fsys-tarfile "$deb" | tar -xO ".$file" >"$dest.tmp"
  mv "$dest.tmp" "$dest"
}
