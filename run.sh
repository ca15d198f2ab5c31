#!/usr/bin/env bash
# Builds Grizzly (Release) and opens the shell on an in-memory database with
# demo data. Extra arguments are passed to the shell.
set -euo pipefail
cd "$(dirname "$0")"

tools/install-deps.sh
# Configure once; a build/ configured earlier (e.g. by ./test.sh) is reused as is.
if [[ ! -f build/CMakeCache.txt ]]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
cmake --build build --target grizzly-jit -- -j"$(nproc)"
exec build/tools/grizzly-jit --demo "$@"
