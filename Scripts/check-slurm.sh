#!/usr/bin/env bash
# Distributed sweeps on a real Slurm cluster (issue 21): a single-node cluster on localhost runs
# the spreading sweep as an array job exactly as the README shows, and the merged table must be
# byte-identical to one process's. Then two records are deleted and the same job resubmitted:
# it must resume (keep the rest, rerun those two) and merge to the same bytes again.
#
# Installs Debian's slurm-wlm and munge when slurmctld is missing (apt-get, as root), generates
# a munge key and a minimal slurm.conf in a temporary directory (free ports, proctrack/linuxproc,
# no cgroups, no accounting), starts munged, slurmctld and slurmd, and stops every daemon it
# started on exit. Prints SKIPPED with the exact reason and passes when the packages cannot be
# installed or the daemons cannot run as root, unless SLURM_REQUIRED=1.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

skip() {
    if [ "${SLURM_REQUIRED:-0}" = 1 ]; then
        echo "slurm: FAILED: $1" >&2
        exit 1
    fi
    echo "slurm: SKIPPED: $1"
    exit 0
}

if [ "$(id -u)" != 0 ]; then skip "slurmd must run as root to start jobs (running as $(id -un))"; fi
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    echo "slurm: installing slurm-wlm and munge from Debian's packages"
    mkdir -p .build
    if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends slurm-wlm munge; } >.build/slurm-install.log 2>&1; then
        skip "cannot install slurm-wlm and munge with apt-get ($(tail -1 .build/slurm-install.log)); see .build/slurm-install.log"
    fi
fi

swift build --product compute-sim >/dev/null
export COMPUTE_SIM
COMPUTE_SIM="$(swift build --show-bin-path)/compute-sim"
work=$(mktemp -d /tmp/compute-sim-slurm.XXXXXX)
mkdir -p "$work/state" "$work/spool" "$work/munge"
chmod 700 "$work/munge"

stop() {
    status=$?
    if [ -f "$work/slurm.conf" ]; then SLURM_CONF="$work/slurm.conf" scontrol shutdown >/dev/null 2>&1 || true; fi
    for pidfile in "$work/slurmd.pid" "$work/slurmctld.pid" "$work/munge/munged.pid"; do
        if [ -s "$pidfile" ]; then
            pid=$(cat "$pidfile")
            for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; kill "$pid" 2>/dev/null || true; sleep 0.1; done
            kill -9 "$pid" 2>/dev/null || true
        fi
    done
    if [ $status != 0 ]; then
        for log in "$work"/*.log "$work"/munge/munged.log "$work"/slurm-*.out; do
            [ -f "$log" ] && { echo "--- $log" >&2; tail -15 "$log" >&2; }
        done
    fi
    rm -rf "$work"
}
trap stop EXIT

fail() {
    echo "slurm: FAILED: $1" >&2
    exit 1
}

# Two free TCP ports on localhost for slurmctld and slurmd.
read -r ctld_port slurmd_port <<<"$(python3 -c '
import socket
sockets = [socket.socket() for _ in range(2)]
for s in sockets: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in sockets])')"

head -c 1024 /dev/urandom >"$work/munge/munge.key"
chmod 600 "$work/munge/munge.key"
munged --force --socket="$work/munge/socket" --key-file="$work/munge/munge.key" --pid-file="$work/munge/munged.pid" \
    --log-file="$work/munge/munged.log" --seed-file="$work/munge/seed" || skip "munged does not start here (see its log above)"

node=$(hostname -s)
cat >"$work/slurm.conf" <<CONF
ClusterName=computesim
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$work/munge/socket
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
SchedulerType=sched/builtin
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
NodeName=$node NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=sim Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$work/slurm.conf"
slurmctld -i || skip "slurmctld does not start here (see its log above)"
slurmd || skip "slurmd does not start here (see its log above)"
state=""
for _ in $(seq 1 100); do
    state=$(sinfo -h -o %t 2>/dev/null || true)
    [ "$state" = idle ] && break
    sleep 0.2
done
[ "$state" = idle ] || fail "the node did not become idle (sinfo says '$state')"
echo "slurm: single-node cluster up ($(sinfo -h -o '%P %D %t %N'))"

# Exactly as the README shows: four array tasks, one shared output directory, then merge.
sweep=Fixtures/Scenarios/spreading-sweep.json
submit() {
    sbatch --wait --quiet --array=0-3 --output="$work/slurm-%A_%a.out" Deploy/slurm/sweep-array.sh "$sweep" "$work/out" ||
        fail "the array job failed"
}
submit
"$COMPUTE_SIM" merge "$work/out" --out "$work/out/table.csv" || fail "merging the array job's records failed"
"$COMPUTE_SIM" sweep "$sweep" --out "$work/whole" >/dev/null
"$COMPUTE_SIM" merge "$work/whole" --out "$work/whole/table.csv" >/dev/null
cmp "$work/out/table.csv" "$work/whole/table.csv" || fail "the array job's table.csv differs from one process's"
cmp "$work/out/table.json" "$work/whole/table.json" || fail "the array job's table.json differs from one process's"
cmp "$work/out/table.html" "$work/whole/table.html" || fail "the array job's table.html differs from one process's"
diff -r "$work/out/table-charts" "$work/whole/table-charts" >/dev/null || fail "the array job's charts differ from one process's"
tasks=$(cat "$work"/slurm-*.out | grep -c '^sweep ')
[ "$tasks" = 4 ] || fail "expected 4 array tasks to run, saw $tasks"
echo "slurm: 4 array tasks ran the 12 runs; the merged table, page and charts are byte-identical to one process's"

# A task lost mid-way: its records go, the same submission resumes.
rm "$work/out/runs/run-000002.json" "$work/out/runs/run-000009.json" "$work/out/table.csv" "$work/out/table.json" "$work"/slurm-*.out
submit
grep -q "resuming: 2 of this shard's 3 run record(s) are already written and valid; running the other 1" "$work"/slurm-*_2.out ||
    fail "task 2 did not resume (see its output)"
grep -q "resuming: 3 of this shard's 3 run record(s) are already written and valid; running the other 0" "$work"/slurm-*_0.out ||
    fail "task 0 reran runs it had"
"$COMPUTE_SIM" merge "$work/out" --out "$work/out/table.csv" >/dev/null || fail "merging the resumed records failed"
cmp "$work/out/table.csv" "$work/whole/table.csv" || fail "the resumed job's table.csv differs from one process's"
echo "slurm: resubmitted after losing 2 records, the job reran only those and merged to the same bytes"
