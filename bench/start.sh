#!/bin/sh
# Time from `npm start` to the ready banner, and the CPU the ACS process spent to get there
# (user + system, from /proc: fair on a shared machine). Ports are picked free, so it can run
# beside another ACS. Usage: sh bench/start.sh [runs]   (run `npm start` once before: warm)
set -eu
cd "$(dirname "$0")/.."
runs=${1:-3}
hz=$(getconf CLK_TCK)
i=0
while [ "$i" -lt "$runs" ]; do
  i=$((i + 1))
  err=$(mktemp)
  start=$(date +%s%N)
  ACS_CWMP_PORT=0 ACS_API_PORT=0 ACS_FS_PORT=0 ACS_WORKER_PORT=0 ACS_METRICS_PORT=0 ACS_SYSLOG_PORT=0 ACS_TFTP_PORT=0 LOG_FORMAT=json npm start >/dev/null 2>"$err" &
  deadline=$(( $(date +%s) + 300 ))
  until grep -q 'ready (pid' "$err"; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "no ready banner within 300 s" >&2; cat "$err" >&2; exit 1; }
    sleep 0.05
  done
  ready=$(date +%s%N)
  pid=$(sed -n 's/.*ready (pid \([0-9]*\)).*/\1/p' "$err")
  ticks=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
  printf 'run %d: ready after %.1f s wall, ACS process %.2f s CPU; load average %s\n' "$i" \
    "$(echo "($ready - $start) / 1000000000" | bc -l)" "$(echo "$ticks / $hz" | bc -l)" "$(cut -d' ' -f1 /proc/loadavg)"
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$err"
done
