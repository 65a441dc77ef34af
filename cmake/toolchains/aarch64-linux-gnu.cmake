# Cross build for 64-bit ARM (arm64-v8a on Android; the architecture of current iPhones) with
# Debian 12's cross toolchain (g++-aarch64-linux-gnu) and the multiarch -dev packages of the
# dependencies (scripts/lib/cross.sh installs them). Tests run under qemu-user: ctest starts every
# test program through qemu-aarch64.
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(GAINSLY_TRIPLE aarch64-linux-gnu)
set(GAINSLY_QEMU_NAME qemu-aarch64)
include(${CMAKE_CURRENT_LIST_DIR}/debian-multiarch.cmake)
