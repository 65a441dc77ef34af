# Cross build for 64-bit ARM (arm64-v8a on Android; the architecture of current iPhones) with
# Debian 12's cross toolchain (g++-aarch64-linux-gnu) and the multiarch -dev packages of the
# dependencies (scripts/lib/cross.sh installs them). Tests run under
# qemu-user: ctest starts every test program through qemu-aarch64.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
# Libraries, headers and CMake packages of the target come from Debian's multiarch folders
# (/usr/lib/aarch64-linux-gnu/...); programs (python3, the compilers) are the build machine's.
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# The target's loader and libraries are installed by multiarch (libc6:<arch>), so qemu needs no -L.
find_program(GAINSLY_QEMU qemu-aarch64)
if(GAINSLY_QEMU)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${GAINSLY_QEMU})
endif()
