#!/usr/bin/env bash
# Installs what rally-gate needs on a Debian machine: Node.js >= 20 and the npm packages, then builds.
# Optional extras for the test suite (Debian's Rally 3.3.0, the compatibility peer): --with-rally.
# --with-cloud also brings up the dev cloud (a real OpenStack on 127.0.0.1, scripts/dev-cloud up:
# needs root or sudo, Debian 12, a few minutes the first time) and writes /etc/openstack/clouds.yaml
# so that `--os-cloud dev-cloud` finds it, as openstackclient would.
set -euo pipefail
cd "$(dirname "$0")/.."

with_rally=false
with_cloud=false
for arg in "$@"; do
  case "$arg" in
    --with-rally) with_rally=true ;;
    --with-cloud) with_cloud=true ;;
    *) echo "setup.sh: unknown option $arg (known: --with-rally, --with-cloud)" >&2; exit 2 ;;
  esac
done

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
  if [ ! -d /var/lib/apt/lists ] || [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v lock)" ]; then
    as_root apt-get update -qq
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -y -qq install "$@" >/dev/null
}

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(node_major)" -lt 20 ]; then
  echo "setup: installing Node.js from Debian's packages" >&2
  apt_install nodejs npm
  if [ "$(node_major)" -lt 20 ]; then
    echo "setup: rally-gate needs Node.js >= 20, this machine has $(node --version 2>/dev/null || echo none)." >&2
    echo "       Debian 13 ships Node.js 20; on older releases install Node.js 20+ first." >&2
    exit 2
  fi
fi

if $with_rally && ! command -v rally >/dev/null 2>&1; then
  echo "setup: installing Debian's Rally (the compatibility peer used by tests and benchmarks)" >&2
  apt_install rally python3-rally-openstack
fi

echo "setup: installing npm packages and building" >&2
npm ci --no-audit --no-fund --loglevel=error

if ! $with_cloud; then
  echo "setup: done; try: npx rally-gate task start rally-jobs/self-test.yaml" >&2
  exit 0
fi

no_cloud() {
  echo "setup: $1" >&2
  echo "       rally-gate itself is installed: without a cloud, run the self-test:" >&2
  echo "         npx rally-gate task start rally-jobs/self-test.yaml" >&2
  exit 1
}
echo "setup: bringing up the dev cloud (scripts/dev-cloud up, as root; docs/dev-cloud.md)" >&2
scripts/dev-cloud up --global-clouds-yaml ||
  no_cloud "the dev cloud did not come up (the failing step and its log are above)."
# dev-cloud leaves a clouds.yaml it did not write alone: then the cloud is only in its state dir
if ! grep -q '^# rally-gate dev cloud' /etc/openstack/clouds.yaml 2>/dev/null; then
  clouds_yaml=$(scripts/dev-cloud env --clouds-yaml)
  echo "setup: the dev cloud is up, but /etc/openstack/clouds.yaml is not its own (left alone); run" >&2
  echo "         OS_CLIENT_CONFIG_FILE=$clouds_yaml npx rally-gate task start rally-jobs/dev-cloud.yaml --os-cloud dev-cloud" >&2
  exit 1
fi
echo "setup: done; the dev cloud is up: npx rally-gate task start rally-jobs/dev-cloud.yaml --os-cloud dev-cloud" >&2
