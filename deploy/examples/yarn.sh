#!/usr/bin/env bash
# spark-lvm on YARN (HADOOP_CONF_DIR points at the cluster). Environment: SPARK_HOME, JAR, DATA, MODELS,
# FEATURES, QUEUE.
set -euo pipefail
JAR=${JAR:-spark-lvm-jobs-0.1.0-SNAPSHOT-submit.jar}
DATA=${DATA:-hdfs:///data/lvm}
MODELS=${MODELS:-hdfs:///models/lvm}
FEATURES=${FEATURES:-x0,x1,x2,x3}

lvm() {
  "${SPARK_SUBMIT:-$SPARK_HOME/bin/spark-submit}" --master yarn --deploy-mode cluster \
    --queue "${QUEUE:-default}" --num-executors 8 --executor-cores 4 --executor-memory 8g \
    --conf spark.executor.memoryOverhead=4g --conf spark.yarn.maxAppAttempts=1 \
    --class org.sparklvm.jobs.cli.Lvm "$JAR" "$@"
}
source "$(dirname "${BASH_SOURCE[0]}")/jobs.sh"
