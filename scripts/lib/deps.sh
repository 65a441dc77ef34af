# Installs the Debian packages the build, the tests and the demo need, when any is missing.
# Sourced by scripts/demo.sh and scripts/test.sh.
gainsly_packages=(cmake ninja-build g++ pkg-config libsqlite3-dev nlohmann-json3-dev
                  doctest-dev libpq-dev zlib1g-dev sqlite3 python3)
gainsly_test_packages=(postgresql postgresql-15-pgtap clang-14 libclang-rt-14-dev kotlin default-jdk-headless libandroid-json-java)

# apt-get update, tried again when a mirror is caught mid-sync ("File has unexpected size"); a last
# failure is not fatal when earlier package lists exist (the install then says what is missing).
gainsly_apt_update() {
  local sudo="" i
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  for i in 1 2 3; do
    $sudo apt-get update -qq && return 0
    sleep $((10 * i))
  done
  echo "apt-get update failed three times; using the package lists there are" >&2
}

gainsly_install_missing() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  gainsly_apt_update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Configures and builds into $1 (extra cmake arguments follow).
gainsly_build() {
  local dir=$1
  shift
  cmake -S "$GAINSLY_ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  cmake --build "$dir"
}
