#!/usr/bin/env bash
# Builds and runs tests/consumer/project the four ways a user may take cloudreboot in:
# add_subdirectory, FetchContent, find_package of an install, and pkg-config of the same install.
set -euo pipefail
source_dir=$1
work=$2
rm -rf "$work"
mkdir -p "$work"
quiet() { "$@" >"$work/last.log" 2>&1 || { cat "$work/last.log"; return 1; }; }

quiet cmake -S "$source_dir" -B "$work/install-build" -G Ninja -DCLOUDREBOOT_BUILD_TESTS=OFF -DCLOUDREBOOT_BUILD_CLI=OFF \
      -DCLOUDREBOOT_BUILD_EXAMPLES=OFF -DCMAKE_INSTALL_PREFIX="$work/prefix"
quiet cmake --install "$work/install-build"

for mode in subdirectory fetchcontent find_package; do
  quiet cmake -S "$source_dir/tests/consumer/project" -B "$work/$mode" -G Ninja -DMODE=$mode \
        -DCLOUDREBOOT_SOURCE="$source_dir" -DCMAKE_PREFIX_PATH="$work/prefix"
  quiet cmake --build "$work/$mode"
  "$work/$mode/consumer" >/dev/null
  echo "consumer via $mode: ok"
done

flags=$(PKG_CONFIG_PATH="$work/prefix/share/pkgconfig" pkg-config --cflags cloudreboot)
# shellcheck disable=SC2086
g++ $flags -Wall -Wextra -Werror "$source_dir/tests/consumer/project/main.cpp" -o "$work/pkgconfig-consumer"
"$work/pkgconfig-consumer" >/dev/null
echo "consumer via pkg-config: ok"

# The single header alone, the way a user drops it into a project without exceptions.
g++ -std=c++20 -fno-exceptions -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow -Werror \
    -I"$source_dir/single_include" "$source_dir/tests/consumer/project/main.cpp" -o "$work/single-header-consumer"
"$work/single-header-consumer" >/dev/null
echo "consumer of single_include/ with -fno-exceptions: ok"
