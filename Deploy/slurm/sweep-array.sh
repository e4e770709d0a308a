#!/bin/sh
# A ComputeSim sweep as a Slurm array job: one shard per array task, all writing their run
# records into one shared output directory (records are named by run, so shards never collide).
#
#   sbatch --array=0-3 Deploy/slurm/sweep-array.sh SWEEP.json OUT
#   compute-sim merge OUT --out OUT/table.csv          # once every task has finished
#
# Each task runs `compute-sim sweep SWEEP.json --shard auto --out OUT`, which reads its shard
# from SLURM_ARRAY_TASK_ID (less SLURM_ARRAY_TASK_MIN) of SLURM_ARRAY_TASK_COUNT, so the array
# size chosen at submission is the shard count: --array=0-15 splits the sweep 16 ways. OUT must
# be on a filesystem every node sees. Resubmitting the same command after a failure, a
# preemption or `scancel` resumes: every run whose record is already written is kept, the rest
# run. COMPUTE_SIM names the binary when it is not on PATH (sbatch passes the environment on).
#SBATCH --job-name=compute-sim-sweep
#SBATCH --array=0-15
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=1
#SBATCH --output=compute-sim-sweep-%A_%a.out
set -eu
exec "${COMPUTE_SIM:-compute-sim}" sweep "${1:?usage: sbatch Deploy/slurm/sweep-array.sh SWEEP.json OUT}" --shard auto --out "${2:?usage: sbatch Deploy/slurm/sweep-array.sh SWEEP.json OUT}"
