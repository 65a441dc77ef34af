# Cross build for 32-bit ARM with hardware float (like Android's armeabi-v7a) with Debian 12's
# cross toolchain (g++-arm-linux-gnueabihf) and the multiarch -dev packages of the dependencies
# (scripts/lib/cross.sh installs them). Tests run under qemu-user: ctest starts every test program
# through qemu-arm.
set(CMAKE_SYSTEM_PROCESSOR arm)
set(GAINSLY_TRIPLE arm-linux-gnueabihf)
set(GAINSLY_QEMU_NAME qemu-arm)
# GCC notes that an ABI detail changed in GCC 7.1 at every std::pair passed by value; nothing here
# mixes code built by GCC 6 and older, so the note is noise.
set(CMAKE_CXX_FLAGS_INIT -Wno-psabi)
include(${CMAKE_CURRENT_LIST_DIR}/debian-multiarch.cmake)
