#!/usr/bin/env bash
# spark-lvm on a Spark standalone cluster. The jar must be where every node can read it (cluster mode
# ships the driver to a Worker). Environment: SPARK_HOME, MASTER, JAR, DATA, MODELS, FEATURES.
set -euo pipefail
MASTER=${MASTER:-spark://spark-master:7077}
JAR=${JAR:-hdfs:///apps/spark-lvm/spark-lvm-jobs-0.1.0-SNAPSHOT-submit.jar}
DATA=${DATA:-hdfs:///data/lvm}
MODELS=${MODELS:-hdfs:///models/lvm}
FEATURES=${FEATURES:-x0,x1,x2,x3}

lvm() {
  "${SPARK_SUBMIT:-$SPARK_HOME/bin/spark-submit}" --master "$MASTER" --deploy-mode cluster \
    --supervise --executor-memory 8g --total-executor-cores 32 \
    --conf spark.executor.memoryOverhead=4g \
    --class org.sparklvm.jobs.cli.Lvm "$JAR" "$@"
}
source "$(dirname "${BASH_SOURCE[0]}")/jobs.sh"
