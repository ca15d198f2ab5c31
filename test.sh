#!/usr/bin/env bash
# Builds Grizzly with its tests and runs them all: unit tests, our SQL tests
# and the sqllogictest conformance corpus. Exits with ctest's status.
set -euo pipefail
cd "$(dirname "$0")"

tools/install-deps.sh
# Configure once; a build/ configured earlier (e.g. by ./run.sh) is reused as is.
if [[ ! -f build/CMakeCache.txt ]]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build build -- -j"$(nproc)"
exec ctest --test-dir build --output-on-failure
