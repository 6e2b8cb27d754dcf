#!/usr/bin/env bash
# End-to-end test of parley's sweeps on a real Slurm: it starts a
# single-node cluster on this machine (its own munged, slurmctld and slurmd,
# with a minimal config in a temporary directory and ports of their own),
# submits the job-array script of docs/sweeps.md (scripts/sweep-array.sbatch)
# to run a small sweep in shards, merges the parts in a dependent job, and
# checks the result is byte-identical to the same sweep run on one machine.
# It stops the daemons it started, whatever happens.
#
# It needs root. With CI=true it installs Debian's slurm-wlm and munge with
# apt-get if they are missing, and any reason to skip is a failure. Outside
# CI it skips (exit 0, with the reason) unless it runs as root and Slurm and
# munge are installed, or PARLEY_SLURM_E2E=1 allows it to install them.
#
#   sudo bash scripts/slurm-e2e.sh            # or CI=true bash scripts/slurm-e2e.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

ci=false
[ "${CI:-}" = true ] && ci=true

skip() {
  if $ci; then
    echo "slurm-e2e: FAIL: cannot run under CI: $*" >&2
    exit 1
  fi
  echo "slurm-e2e: SKIP: $*"
  exit 0
}

[ "$(id -u)" = 0 ] || skip "needs root to start munged, slurmctld and slurmd"

have_slurm() {
  command -v munged >/dev/null && command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v sbatch >/dev/null
}
if ! have_slurm; then
  if $ci || [ "${PARLEY_SLURM_E2E:-}" = 1 ]; then
    command -v apt-get >/dev/null || skip "slurm-wlm and munge are not installed and there is no apt-get"
    echo "== apt-get install slurm-wlm munge"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
  else
    skip "slurm-wlm and munge are not installed (PARLEY_SLURM_E2E=1 or CI=true installs them with apt-get)"
  fi
fi
have_slurm || skip "slurm-wlm and munge did not install"

work=$(mktemp -d /tmp/parley-slurm-e2e.XXXXXX)
chmod 0755 "$work"
pids=()
cleanup() {
  status=$?
  if [ -n "${SLURM_CONF:-}" ] && [ -f "${SLURM_CONF}" ]; then
    scancel --quiet --user=root >/dev/null 2>&1 || true
  fi
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ "$status" != 0 ]; then
    echo "slurm-e2e: FAIL (exit $status); logs:" >&2
    for f in "$work"/log/*.log "$work"/run/*.log; do
      [ -f "$f" ] && { echo "--- $f" >&2; tail -n 30 "$f" >&2; }
    done
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$work"/{munge,state,spool,log,run,bin}
chmod 0700 "$work/munge"

# ---- munge: a key and a socket of our own, so a munged already running is
# left alone.
echo "== munged"
dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
chmod 0400 "$work/munge/munge.key"
munged --force \
  --key-file="$work/munge/munge.key" \
  --socket="$work/munge/munge.socket" \
  --pid-file="$work/munge/munged.pid" \
  --log-file="$work/log/munged.log" \
  --seed-file="$work/munge/munged.seed"
for _ in $(seq 50); do [ -s "$work/munge/munged.pid" ] && break; sleep 0.1; done
[ -s "$work/munge/munged.pid" ] || { echo "munged did not start" >&2; exit 1; }
pids+=("$(cat "$work/munge/munged.pid")")

# ---- slurm: one node, this machine, on ports of our own.
host=$(hostname -s)
cpus=$(nproc)
export SLURM_CONF="$work/slurm.conf"
cat >"$SLURM_CONF" <<EOF
ClusterName=parley-e2e
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$work/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool/%n
SlurmctldPidFile=$work/run/slurmctld.pid
SlurmdPidFile=$work/run/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF

echo "== slurmctld, slurmd ($host, $cpus CPUs)"
slurmctld -i
for _ in $(seq 100); do [ -s "$work/run/slurmctld.pid" ] && break; sleep 0.1; done
[ -s "$work/run/slurmctld.pid" ] || { echo "slurmctld did not start" >&2; exit 1; }
pids+=("$(cat "$work/run/slurmctld.pid")")
slurmd
for _ in $(seq 100); do [ -s "$work/run/slurmd.pid" ] && break; sleep 0.1; done
[ -s "$work/run/slurmd.pid" ] || { echo "slurmd did not start" >&2; exit 1; }
pids+=("$(cat "$work/run/slurmd.pid")")

# Wait for the node to be idle.
for i in $(seq 300); do
  state=$(sinfo -h -n "$host" -o %t 2>/dev/null || true)
  [ "$state" = idle ] && break
  [ "$i" = 300 ] && { echo "the node is not idle after 30s: '$state'" >&2; sinfo >&2 || true; exit 1; }
  sleep 0.1
done
sinfo

# ---- the sweep: single-machine reference, then shards on Slurm.
echo "== build parley"
go build -o "$work/bin/parley" ./cmd/parley
export PARLEY="$work/bin/parley"
sweep="$repo/testdata/sweeps/grid.toml"
shards=3

"$PARLEY" sweep "$sweep" -o "$work/whole.csv"

cd "$work"
echo "== sbatch --array=0-$((shards - 1)) scripts/sweep-array.sbatch"
array=$(sbatch --parsable --array=0-$((shards - 1)) "$repo/scripts/sweep-array.sbatch" "$sweep" "$work/parts")
echo "array job $array"
echo "== merge in a dependent job, waiting for it"
sbatch --wait --dependency=afterok:"$array" --kill-on-invalid-dep=yes --output="$work/merge.log" \
  --wrap "\"$PARLEY\" merge \"$work/merged.csv\" $(for k in $(seq "$shards"); do printf '"%s" ' "$work/parts/part-$k-of-$shards.csv"; done)"

for k in $(seq 0 $((shards - 1))); do
  echo "--- task $k"; cat "$work/parley-sweep-${array}_$k.log"
done
echo "--- merge"; cat "$work/merge.log"

cmp "$work/whole.csv" "$work/merged.csv"
cmp "$work/whole.csv.manifest.json" "$work/merged.csv.manifest.json"
echo "slurm-e2e: OK: $shards Slurm array tasks merged into $(($(wc -l <"$work/merged.csv") - 1)) points, byte-identical to the single-machine sweep"
