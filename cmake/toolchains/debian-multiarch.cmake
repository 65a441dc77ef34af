# Shared by the Debian cross toolchain files: they set GAINSLY_TRIPLE (the multiarch triple) and
# GAINSLY_QEMU_NAME (the qemu-user program) and include this.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_C_COMPILER ${GAINSLY_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${GAINSLY_TRIPLE}-g++)
# Libraries, headers and CMake packages of the target come from Debian's multiarch folders
# (/usr/lib/<triple>/...); programs (python3, the compilers) are the build machine's.
set(CMAKE_LIBRARY_ARCHITECTURE ${GAINSLY_TRIPLE})
set(CMAKE_FIND_ROOT_PATH /usr/${GAINSLY_TRIPLE} /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# The target's loader and libraries are installed by multiarch (libc6:<arch>), so qemu needs no -L.
find_program(GAINSLY_QEMU ${GAINSLY_QEMU_NAME})
if(GAINSLY_QEMU)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${GAINSLY_QEMU})
endif()
