# shellcheck shell=bash
# Prepares what the flows-against-moto tests (test/moto/) need beyond .ci/docker-env.sh:
#
#   - moto's ECR host, 123456789012.dkr.ecr.us-east-1.amazonaws.com, resolving to 127.0.0.1
#     (/etc/hosts), so `docker push` to the repository URIs moto hands out lands on this machine;
#   - a Docker registry on 127.0.0.1:80 with htpasswd user AWS, password 123456789012-auth-token
#     (moto's ECR token), which aws-sim reads to answer DescribeImages/BatchGetImage;
#   - moto 4.1.4's Debian python packages (installed by ../shared/tools/moto/moto-server start), and a
#     moto + aws-sim pair on 4566/4567 as a smoke check. Each test file starts its own pair on free ports.
#
# dockerd needs no daemon.json: it treats a registry whose host resolves to a loopback address as
# insecure (plain HTTP) by default (127.0.0.0/8 is in its default insecure CIDRs), and the hosts line
# makes the ECR host loopback.
#
# Exports SLIPWAY_SHARED_TOOLS (the folder with moto/ and aws-sim/) and SLIPWAY_ECR_REGISTRY_DATA (the
# registry's storage root, for aws-sim's --registry-data). Idempotent; run as root (CI) or with sudo.
# Source it after .ci/docker-env.sh.

_moto_log() { printf '[moto-env] %s\n' "$*" >&2; }
_moto_as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

_moto_env_main() {
  local root tools host=123456789012.dkr.ecr.us-east-1.amazonaws.com
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  tools=${SLIPWAY_SHARED_TOOLS:-}
  if [ -z "$tools" ]; then
    for tools in "$root/../shared/tools" /work/shared/tools; do [ -x "$tools/moto/moto-server" ] && break; done
  fi
  [ -x "$tools/moto/moto-server" ] && [ -f "$tools/aws-sim/aws_sim.py" ] || { _moto_log "no moto-server / aws_sim.py under $tools (set SLIPWAY_SHARED_TOOLS)"; return 1; }

  if ! grep -Eq "^127\.0\.0\.1[[:space:]].*\b$host\b" /etc/hosts; then
    _moto_log "adding '127.0.0.1 $host' to /etc/hosts"
    echo "127.0.0.1 $host" | _moto_as_root tee -a /etc/hosts >/dev/null || return 1
  fi

  # The ECR stand-in registry on :80. Its data folder outlives runs: tests use fresh repository names.
  local dir=/tmp/slipway-ecr-registry code
  code=$(curl -s -o /dev/null --max-time 3 -w '%{http_code}' -u AWS:123456789012-auth-token "http://$host/v2/" 2>/dev/null)
  if [ "$code" != 200 ]; then
    [ "$code" = 000 ] || { _moto_log "something else answers on port 80 ($code); the ECR registry needs it"; return 1; }
    command -v htpasswd >/dev/null 2>&1 && [ -x /usr/bin/docker-registry ] || { _moto_log "htpasswd or docker-registry missing (source .ci/docker-env.sh first)"; return 1; }
    _moto_as_root mkdir -p "$dir/data" || return 1
    htpasswd -Bbn AWS 123456789012-auth-token | _moto_as_root tee "$dir/htpasswd" >/dev/null || return 1
    _moto_as_root tee "$dir/config.yml" >/dev/null <<CONF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:80
auth:
  htpasswd:
    realm: ecr
    path: $dir/htpasswd
CONF
    _moto_log "starting the ECR registry on 127.0.0.1:80 (log: $dir/registry.log)"
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    ("${sudo[@]}" setsid /usr/bin/docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 </dev/null &)
    local deadline=$((SECONDS + 30))
    while [ "$SECONDS" -lt "$deadline" ]; do
      code=$(curl -s -o /dev/null --max-time 3 -w '%{http_code}' -u AWS:123456789012-auth-token "http://$host/v2/" 2>/dev/null)
      [ "$code" = 200 ] && break
      sleep 0.5
    done
    [ "$code" = 200 ] || { _moto_log "the ECR registry did not answer (last: $code)"; tail -n 20 "$dir/registry.log" >&2; return 1; }
  fi

  # Installs moto's python packages on first use, and proves moto + aws-sim answer.
  "$tools/moto/moto-server" start 4566 >/dev/null || return 1
  if ! curl -fs -o /dev/null --max-time 3 http://127.0.0.1:4567/_sim/health 2>/dev/null; then
    (setsid /usr/bin/python3 "$tools/aws-sim/aws_sim.py" --port 4567 --upstream http://127.0.0.1:4566 \
      --registry "http://$host" --registry-data "$dir/data" >/tmp/slipway-aws-sim-4567.log 2>&1 </dev/null &)
    local deadline=$((SECONDS + 20))
    until curl -fs -o /dev/null --max-time 3 http://127.0.0.1:4567/_sim/health 2>/dev/null; do
      [ "$SECONDS" -lt "$deadline" ] || { _moto_log "aws-sim did not start"; tail -n 20 /tmp/slipway-aws-sim-4567.log >&2; return 1; }
      sleep 0.3
    done
  fi
  export SLIPWAY_SHARED_TOOLS=$tools SLIPWAY_ECR_REGISTRY_DATA=$dir/data
  _moto_log "ready: moto 4.1.4 on :4566, aws-sim on :4567, ECR registry http://$host (tools: $tools)"
}

if _moto_env_main; then _moto_env_rc=0; else _moto_env_rc=$?; fi
unset -f _moto_log _moto_as_root _moto_env_main
if [ "$_moto_env_rc" -ne 0 ]; then
  printf '[moto-env] FAILED: the moto test environment is not ready\n' >&2
  unset _moto_env_rc
  return 1 2>/dev/null || exit 1
fi
unset _moto_env_rc
