#!/usr/bin/env bash
# Spark GPU discovery script (spark.{driver,executor,worker}.resource.gpu.discoveryScript): prints the
# CUDA device indices this process can use as {"name":"gpu","addresses":["0","1",...]}.
# Indices, not UUIDs: GpuTaskPlugin hands the task's address to ND4J as a device number. When
# CUDA_VISIBLE_DEVICES is set (YARN, Kubernetes), CUDA numbers the visible devices from 0.
set -euo pipefail

if [[ -n "${CUDA_VISIBLE_DEVICES:-}" ]]; then
  IFS=',' read -r -a visible <<< "$CUDA_VISIBLE_DEVICES"
  count=${#visible[@]}
else
  count=$(nvidia-smi --query-gpu=index --format=csv,noheader | wc -l)
fi
addresses=""
for ((i = 0; i < count; i++)); do
  addresses+="${addresses:+,}\"$i\""
done
echo "{\"name\":\"gpu\",\"addresses\":[${addresses}]}"
