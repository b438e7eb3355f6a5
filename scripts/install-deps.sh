#!/usr/bin/env bash
# Installs the Debian packages Prescient builds and tests against (run as root on Debian 12).
# Skips apt entirely when everything is already there.
set -euo pipefail
packages=(libyaml-dev libgeoip-dev geoip-database zlib1g-dev libsqlite3-dev libmicrohttpd-dev libssl-dev curl prometheus chromium python3
          haproxy socat bind9 bind9-utils bind9-dnsutils nginx redis-server redis-tools etcd-server etcd-client)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
