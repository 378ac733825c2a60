# shellcheck shell=bash
# Prepares what slipway's Docker integration tests need: a running dockerd and a local registry
# with htpasswd auth (it plays ECR's role). CI sources it (root, Debian bookworm, CI=true):
#
#   source .ci/docker-env.sh && npx vitest run test/integration
#
# It exports SLIPWAY_TEST_REGISTRY (host:port), SLIPWAY_TEST_REGISTRY_USER and
# SLIPWAY_TEST_REGISTRY_PASSWORD. Idempotent: a running dockerd is reused, and so is the registry a
# previous run started (its credentials are kept in a 0600 state file). A registry started by
# someone else blocks its port, so we move on to the next one.
#
# Everything lives in functions with `local` variables and guarded probes, so sourcing it neither
# leaks variables nor trips the caller's `set -e` on an expected probe failure.

_slipway_log() { printf '[docker-env] %s\n' "$*" >&2; }

_slipway_as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

_slipway_install_missing() {
  local missing=()
  command -v docker >/dev/null 2>&1 || missing+=(docker.io)
  # ca-certificates is only a Recommends of docker.io, but dockerd needs it to pull over TLS.
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io ca-certificates)
  [ -x /usr/bin/docker-registry ] || missing+=(docker-registry)
  command -v htpasswd >/dev/null 2>&1 || missing+=(apache2-utils)
  # The readiness probes below use curl; slim CI images do not always ship it.
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  [ ${#missing[@]} -eq 0 ] && return 0

  # de-duplicate (docker.io may be listed twice)
  local pkgs
  pkgs=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
  _slipway_log "installing: $pkgs"
  # shellcheck disable=SC2086 # word splitting of the package list is intended
  _slipway_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null \
    && _slipway_as_root env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -q --no-install-recommends $pkgs >/dev/null \
    || { _slipway_log "apt-get install failed for: $pkgs"; return 1; }
}

# `docker info` is not a reliable probe: the Debian 20.10 client exits 0 with ServerErrors when the
# daemon is down. Asking for the server version fails on every client version.
_slipway_daemon_up() {
  local v
  v=$(docker version --format '{{.Server.Version}}' 2>/dev/null) && [ -n "$v" ]
}

# Not pgrep: procps is not in Debian's minimal images.
_slipway_dockerd_running() {
  grep -qx dockerd /proc/[0-9]*/comm 2>/dev/null
}

# Starts dockerd once with the given extra flags; waits until it answers or dies or the deadline.
# Returns 0 up, 1 died, 2 still not answering at the deadline.
_slipway_try_dockerd() {
  local log=$1 deadline=$2
  shift 2
  # A pid file left by a dockerd that died makes the next one refuse to start.
  if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid 2>/dev/null)" 2>/dev/null; then
    _slipway_as_root rm -f /var/run/docker.pid
  fi
  _slipway_log "starting dockerd${*:+ $*} (log: $log)"
  # setsid: the daemon must outlive this shell and not get its job-control signals. The subshell
  # keeps it out of an interactive caller's job table. setsid is called directly, not through a
  # function, or a bash subshell would linger as dockerd's parent; it execs, so $! is dockerd.
  local pid sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  pid=$( ("${sudo[@]}" setsid dockerd "$@" >>"$log" 2>&1 </dev/null & echo $!) )
  while [ "$SECONDS" -lt "$deadline" ]; do
    _slipway_daemon_up && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 1
  done
  return 2
}

_slipway_start_dockerd() {
  if _slipway_daemon_up; then
    _slipway_log "reusing running Docker daemon"
    return 0
  fi
  local log=/tmp/slipway-dockerd.log deadline=$((SECONDS + 60)) rc
  # Someone (maybe a previous run) already started it and it is still coming up: wait, do not
  # start a second one that would fight over /var/run/docker.sock.
  if _slipway_dockerd_running; then
    _slipway_log "dockerd is running but not answering yet; waiting"
    while [ "$SECONDS" -lt "$deadline" ]; do
      _slipway_daemon_up && return 0
      sleep 1
    done
  else
    : >"$log"
    _slipway_try_dockerd "$log" "$deadline"
    rc=$?
    [ $rc -eq 0 ] && return 0
    # Inside a container overlay2 on top of overlayfs often fails; vfs is slow but always works.
    # Likewise a container without NET_ADMIN cannot program iptables; our tests need no networking.
    if [ $rc -eq 1 ]; then
      local extra=()
      grep -qiE 'storage|graphdriver|overlay' "$log" && extra+=(--storage-driver=vfs)
      grep -qiE 'iptables|bridge' "$log" && extra+=(--iptables=false --bridge=none)
      if [ ${#extra[@]} -gt 0 ]; then
        _slipway_log "dockerd died; retrying with ${extra[*]}"
        _slipway_try_dockerd "$log" "$deadline" "${extra[@]}" && return 0
      fi
    fi
  fi
  if _slipway_dockerd_running; then
    _slipway_log "dockerd runs but did not answer within 60 s. Last lines of $log:"
  else
    _slipway_log "dockerd exited. Last lines of $log:"
  fi
  tail -n 30 "$log" >&2 2>/dev/null
  return 1
}

_slipway_http_code() { # url [curl args...]
  local url=$1
  shift
  curl -s -o /dev/null --max-time 3 -w '%{http_code}' "$@" "$url" 2>/dev/null
}

_slipway_random_password() {
  # 24 hex chars; od (not `tr </dev/urandom | head`) so pipefail never sees a SIGPIPE.
  od -An -tx1 -N12 /dev/urandom | tr -d ' \n'
}

# Sets _slipway_reg_{port,user,password} from a previous run's state file if that registry still
# accepts those credentials.
_slipway_reuse_registry() {
  local state=$1 port user password
  [ -r "$state" ] || return 1
  port=$(sed -n 's/^port=//p' "$state")
  user=$(sed -n 's/^user=//p' "$state")
  password=$(sed -n 's/^password=//p' "$state")
  [ -n "$port" ] && [ -n "$user" ] && [ -n "$password" ] || return 1
  [ "$(_slipway_http_code "http://127.0.0.1:$port/v2/" -u "$user:$password")" = 200 ] || return 1
  _slipway_reg_port=$port _slipway_reg_user=$user _slipway_reg_password=$password
}

_slipway_start_registry() {
  local state_dir=/tmp/slipway-registry state=/tmp/slipway-registry/state
  mkdir -p "$state_dir" && chmod 700 "$state_dir" || return 1
  if _slipway_reuse_registry "$state"; then
    _slipway_log "reusing registry on 127.0.0.1:$_slipway_reg_port"
    return 0
  fi

  # 000 = nothing listens. Any other answer is a registry (or something else) we have no
  # credentials for, so we leave it alone and take the next port.
  local port
  for port in 5000 5001 5002 5003 5004 5005; do
    [ "$(_slipway_http_code "http://127.0.0.1:$port/v2/")" = 000 ] && break
    _slipway_log "port $port is taken; trying the next one"
    port=
  done
  [ -n "$port" ] || { _slipway_log "no free port in 5000-5005 for the registry"; return 1; }

  # ECR's login user is always AWS; the stand-in registry uses the same.
  local dir="$state_dir/$port" user=AWS password
  password=$(_slipway_random_password)
  rm -rf "$dir" && mkdir -p "$dir/data" || return 1
  # bcrypt (-B): the registry's htpasswd backend accepts nothing else.
  htpasswd -Bbn "$user" "$password" >"$dir/htpasswd" || return 1
  cat >"$dir/config.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
auth:
  htpasswd:
    realm: slipway-test
    path: $dir/htpasswd
EOF
  _slipway_log "starting registry on 127.0.0.1:$port (log: $dir/registry.log)"
  (setsid /usr/bin/docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 </dev/null &)

  local deadline=$((SECONDS + 30)) code=
  while [ "$SECONDS" -lt "$deadline" ]; do
    code=$(_slipway_http_code "http://127.0.0.1:$port/v2/")
    [ "$code" = 401 ] && break
    sleep 0.5
  done
  if [ "$code" != 401 ]; then
    _slipway_log "registry did not answer 401 on 127.0.0.1:$port (last: $code). Log tail:"
    tail -n 30 "$dir/registry.log" >&2 2>/dev/null
    return 1
  fi
  if [ "$(_slipway_http_code "http://127.0.0.1:$port/v2/" -u "$user:$password")" != 200 ]; then
    _slipway_log "registry on 127.0.0.1:$port rejects the credentials just written"
    return 1
  fi
  (umask 077 && printf 'port=%s\nuser=%s\npassword=%s\n' "$port" "$user" "$password" >"$state") || return 1
  _slipway_reg_port=$port _slipway_reg_user=$user _slipway_reg_password=$password
}

_slipway_docker_env_main() {
  _slipway_install_missing || return 1
  _slipway_start_dockerd || return 1
  _slipway_start_registry || return 1
  export SLIPWAY_TEST_REGISTRY="127.0.0.1:$_slipway_reg_port"
  export SLIPWAY_TEST_REGISTRY_USER="$_slipway_reg_user"
  export SLIPWAY_TEST_REGISTRY_PASSWORD="$_slipway_reg_password"
  _slipway_log "ready: daemon $(docker version --format '{{.Server.Version}}' 2>/dev/null)," \
    "registry $SLIPWAY_TEST_REGISTRY (user $SLIPWAY_TEST_REGISTRY_USER)"
}

# Called inside `if` so a caller's `set -e` cannot abort halfway; failures are reported below.
if _slipway_docker_env_main; then _slipway_docker_env_rc=0; else _slipway_docker_env_rc=$?; fi
unset _slipway_reg_port _slipway_reg_user _slipway_reg_password
unset -f _slipway_log _slipway_as_root _slipway_install_missing _slipway_daemon_up _slipway_dockerd_running \
  _slipway_try_dockerd _slipway_start_dockerd _slipway_http_code _slipway_random_password \
  _slipway_reuse_registry _slipway_start_registry _slipway_docker_env_main
if [ "$_slipway_docker_env_rc" -ne 0 ]; then
  printf '[docker-env] FAILED: Docker test environment is not ready\n' >&2
  # `return` when sourced, `exit` when run as a script.
  return "$_slipway_docker_env_rc" 2>/dev/null || exit "$_slipway_docker_env_rc"
fi
unset _slipway_docker_env_rc
if ! (return 0 2>/dev/null); then
  printf '[docker-env] note: run with `source` so the SLIPWAY_TEST_* variables reach your shell\n' >&2
fi
