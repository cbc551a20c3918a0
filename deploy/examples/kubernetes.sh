#!/usr/bin/env bash
# spark-lvm on Kubernetes: an image with Spark 3.5 (Scala 2.12, Java 17) and the jobs jar at
# /opt/spark-lvm/ (local:// = inside the image). Environment: SPARK_HOME, K8S_API, IMAGE, NAMESPACE,
# DATA, MODELS, FEATURES.
set -euo pipefail
K8S_API=${K8S_API:-https://kubernetes.default.svc:443}
IMAGE=${IMAGE:-registry.example.com/spark-lvm:0.1.0}
JAR=${JAR:-local:///opt/spark-lvm/spark-lvm-jobs-0.1.0-SNAPSHOT-submit.jar}
DATA=${DATA:-s3a://lvm/data}
MODELS=${MODELS:-s3a://lvm/models}
FEATURES=${FEATURES:-x0,x1,x2,x3}

lvm() {
  "${SPARK_SUBMIT:-$SPARK_HOME/bin/spark-submit}" --master "k8s://$K8S_API" --deploy-mode cluster \
    --conf spark.kubernetes.container.image="$IMAGE" \
    --conf spark.kubernetes.namespace="${NAMESPACE:-spark}" \
    --conf spark.kubernetes.authenticate.driver.serviceAccountName=spark \
    --conf spark.executor.instances=8 --conf spark.executor.cores=4 \
    --conf spark.executor.memory=8g --conf spark.executor.memoryOverhead=4g \
    --class org.sparklvm.jobs.cli.Lvm "$JAR" "$@"
}
source "$(dirname "${BASH_SOURCE[0]}")/jobs.sh"
