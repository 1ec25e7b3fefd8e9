#!/bin/sh
# A Docker engine and the base image for hale's end-to-end tests and for scripts/demo.
#
#   engine.sh start        use the engine that answers `docker info`; if none does, install
#                          Debian's docker.io (scripts/install-deps docker), start dockerd and
#                          wait until it answers. Prints the pid of a dockerd it started, and
#                          nothing when it reused a running engine.
#   engine.sh stop PID     stop the dockerd that `start` started (by that pid only) and wait
#                          until it has exited
#   engine.sh base-image   make debian:bookworm-slim with debootstrap and `docker import` when
#                          the engine does not have it (no registry is reachable)
#
# Progress goes to stderr. ENGINE_LOG (default /tmp/hale-dockerd.log) receives dockerd's log;
# BASE_IMAGE gives base-image another tag to make (a test of this script can then remove it).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
base_image=${BASE_IMAGE:-debian:bookworm-slim}

say() { echo "engine: $*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

engine_answers() {
    docker info >/dev/null 2>&1
}

start() {
    if command -v docker >/dev/null 2>&1 && engine_answers; then
        return 0
    fi
    "$root/scripts/install-deps" docker
    # On a machine with systemd, installing docker.io has started the engine already.
    if engine_answers; then
        return 0
    fi
    if [ "$(id -u)" -ne 0 ]; then
        say "no engine answers, and starting dockerd needs root"
        exit 1
    fi
    log=${ENGINE_LOG:-/tmp/hale-dockerd.log}
    say "no engine answers; starting dockerd (log: $log)"
    # setsid: dockerd outlives this script and ignores a Ctrl-C meant for the caller, who
    # stops it by pid once its own clean-up is done. Run in the background of a
    # non-interactive shell, setsid execs dockerd in place, so $! is dockerd's pid.
    setsid dockerd >"$log" 2>&1 </dev/null &
    pid=$!
    started=$(date +%s)
    until engine_answers; do
        if ! kill -0 "$pid" 2>/dev/null; then
            say "dockerd exited at start; last lines of $log:"
            tail -n 20 "$log" >&2
            exit 1
        fi
        if [ $(($(date +%s) - started)) -ge 60 ]; then
            say "dockerd did not answer within 60s; stopping it"
            stop "$pid"
            exit 1
        fi
        sleep 0.2
    done
    say "dockerd $pid ready after $(($(date +%s) - started))s"
    echo "$pid"
}

stop() {
    pid=$1
    # Refuse anything but a dockerd: the pid comes from a caller and may be stale.
    if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" != dockerd ]; then
        say "process $pid is not a running dockerd; nothing to stop"
        return 0
    fi
    kill -TERM "$pid"
    waited=0
    while [ -e "/proc/$pid" ]; do
        if [ "$waited" -ge 300 ]; then
            say "dockerd $pid still runs 30s after SIGTERM; killing it"
            kill -KILL "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.1
        waited=$((waited + 1))
    done
    say "dockerd $pid stopped"
}

base_image() {
    # One maker at a time: two test sessions may start together on one engine.
    exec 9>/tmp/hale-base-image.lock
    flock 9
    if docker image inspect "$base_image" >/dev/null 2>&1; then
        return 0
    fi
    "$root/scripts/install-deps" docker
    rootfs=$(mktemp -d /var/tmp/hale-rootfs.XXXXXX)
    trap 'as_root rm -rf "$rootfs"' EXIT
    say "making $base_image with debootstrap (about a minute)"
    as_root debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian \
        >"$rootfs.log" 2>&1 || { tail -n 20 "$rootfs.log" >&2; exit 1; }
    rm -f "$rootfs.log"
    as_root tar -C "$rootfs" -c . |
        docker import --change 'CMD ["bash"]' - "$base_image" >/dev/null
    say "$base_image ready"
}

case "${1:-}" in
start) start ;;
stop) [ $# -eq 2 ] || { say "usage: engine.sh stop PID"; exit 1; }; stop "$2" ;;
base-image) base_image ;;
*) say "usage: engine.sh start | stop PID | base-image"; exit 1 ;;
esac
