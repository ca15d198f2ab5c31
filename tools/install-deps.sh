#!/usr/bin/env bash
# Installs the Debian 12 packages that building and testing Grizzly need.
# Idempotent: installs only what is missing and touches apt only then.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkgconf
  llvm-19-dev
  antlr4 libantlr4-runtime-dev
  libxsimd-dev
  libbenchmark-dev doctest-dev
  libfmt-dev libcli11-dev libedit-dev
  libzstd-dev liblz4-dev libxxhash-dev libssl-dev
  zstd tmux
)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$package")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  sudo_cmd=(sudo)
fi
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
