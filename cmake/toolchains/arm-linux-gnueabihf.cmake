# Cross build for 32-bit ARM with hardware float (like Android's armeabi-v7a) with Debian 12's
# cross toolchain (g++-arm-linux-gnueabihf) and the multiarch -dev packages of the dependencies
# (scripts/lib/cross.sh installs them). Tests run under
# qemu-user: ctest starts every test program through qemu-arm.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-linux-gnueabihf-gcc)
set(CMAKE_CXX_COMPILER arm-linux-gnueabihf-g++)
# GCC notes that an ABI detail changed in GCC 7.1 at every std::pair passed by value; nothing here
# mixes code built by GCC 6 and older, so the note is noise.
set(CMAKE_CXX_FLAGS_INIT -Wno-psabi)
# Libraries, headers and CMake packages of the target come from Debian's multiarch folders
# (/usr/lib/arm-linux-gnueabihf/...); programs (python3, the compilers) are the build machine's.
set(CMAKE_LIBRARY_ARCHITECTURE arm-linux-gnueabihf)
set(CMAKE_FIND_ROOT_PATH /usr/arm-linux-gnueabihf /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# The target's loader and libraries are installed by multiarch (libc6:<arch>), so qemu needs no -L.
find_program(GAINSLY_QEMU qemu-arm)
if(GAINSLY_QEMU)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${GAINSLY_QEMU})
endif()
