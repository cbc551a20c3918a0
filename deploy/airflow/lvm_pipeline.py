"""spark-lvm daily pipeline for Apache Airflow 2 (apache-airflow-providers-apache-spark).

For each run date ``ds``: fit a Gaussian mixture with the configured k on that day's training table
(kept for comparing days), starting EM from the previous day's mixture when there is one (``gmm fit
--init-model-if-exists``: a warm start from ``{{ macros.ds_add(ds, -1) }}``'s model, a cold start
with ``--k`` on the first day or after a gap; the result line's ``start`` and the log say which),
select k by BIC over a range, train a variational autoencoder, and score
the day's new rows with the selected mixture and the VAE (log-density, importance-sampled
log-likelihood, anomaly flags). Every task is one ``spark-submit`` of the jobs
jar through ``SparkSubmitOperator`` on the ``spark_default`` connection; paths and sizes are DAG
params, dates come from Airflow's ``ds``.

The command lines live in TASKS below, between the ``lvm-tasks`` markers, as JSON (Python literal
syntax that is also JSON): ``AirflowDagTest`` in the jobs module reads that block, renders the
templates, and runs every task through the real ``lvm`` command line (``--dry-run`` first), so the
DAG cannot drift from the CLI. Tasks pass ``--overwrite`` so that a rerun of a date replaces its
outputs, and ``vae fit`` passes ``--resume`` so that a retry continues from the last epoch's
checkpoint.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.models.param import Param
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

# lvm-tasks: begin
TASKS = {
    "fit_mixture": {
        "upstream": [],
        "args": ["gmm", "fit",
                 "--input", "{{ params.data }}/{{ ds }}/train.parquet",
                 "--feature-cols", "{{ params.features }}",
                 "--k", "{{ params.k }}", "--n-init", "3", "--seed", "42",
                 "--init-model-if-exists", "{{ params.models }}/{{ macros.ds_add(ds, -1) }}/gmm",
                 "--output", "{{ params.models }}/{{ ds }}/gmm", "--overwrite"]
    },
    "select_k": {
        "upstream": [],
        "args": ["gmm", "select",
                 "--input", "{{ params.data }}/{{ ds }}/train.parquet",
                 "--feature-cols", "{{ params.features }}",
                 "--k", "{{ params.k_range }}", "--covariance", "full,diag",
                 "--output", "{{ params.models }}/{{ ds }}/gmm-selected", "--overwrite"]
    },
    "train_vae": {
        "upstream": [],
        "args": ["vae", "fit",
                 "--input", "{{ params.data }}/{{ ds }}/train.parquet",
                 "--feature-cols", "{{ params.features }}",
                 "--likelihood", "gaussian", "--latent-dim", "{{ params.vae_latent_dim }}",
                 "--encoder", "{{ params.vae_layers }}", "--decoder", "{{ params.vae_layers }}",
                 "--epochs", "{{ params.vae_epochs }}", "--seed", "42",
                 "--output", "{{ params.models }}/{{ ds }}/vae", "--overwrite", "--resume"]
    },
    "score_mixture": {
        "upstream": ["select_k"],
        "args": ["gmm", "score",
                 "--model", "{{ params.models }}/{{ ds }}/gmm-selected",
                 "--input", "{{ params.data }}/{{ ds }}/new.parquet",
                 "--anomaly-quantile", "{{ params.anomaly_quantile }}",
                 "--output", "{{ params.scores }}/{{ ds }}/gmm", "--overwrite"]
    },
    "score_vae": {
        "upstream": ["train_vae"],
        "args": ["vae", "score",
                 "--model", "{{ params.models }}/{{ ds }}/vae",
                 "--input", "{{ params.data }}/{{ ds }}/new.parquet",
                 "--importance-samples", "{{ params.importance_samples }}",
                 "--anomaly-quantile", "{{ params.anomaly_quantile }}",
                 "--output", "{{ params.scores }}/{{ ds }}/vae", "--overwrite"]
    }
}
# lvm-tasks: end

with DAG(
    dag_id="spark_lvm_daily",
    description="Gaussian mixture and VAE: fit, select k, score the day's new rows",
    schedule="@daily",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=10)},
    params={
        "data": Param("hdfs:///data/lvm", type="string"),
        "models": Param("hdfs:///models/lvm", type="string"),
        "scores": Param("hdfs:///scores/lvm", type="string"),
        "features": Param("x0,x1,x2,x3", type="string"),
        "k": Param(8, type="integer", minimum=1),
        "k_range": Param("2..12", type="string"),
        "vae_latent_dim": Param(8, type="integer", minimum=1),
        "vae_layers": Param("128,64", type="string"),
        "vae_epochs": Param(20, type="integer", minimum=1),
        "importance_samples": Param(1000, type="integer", minimum=1),
        "anomaly_quantile": Param(0.01, type="number", exclusiveMinimum=0, exclusiveMaximum=1),
    },
    tags=["spark-lvm"],
) as dag:
    operators = {
        name: SparkSubmitOperator(
            task_id=name,
            conn_id="spark_default",
            application="{{ var.value.get('spark_lvm_jar', "
                        "'hdfs:///apps/spark-lvm/spark-lvm-jobs-0.1.0-SNAPSHOT-submit.jar') }}",
            java_class="org.sparklvm.jobs.cli.Lvm",
            application_args=task["args"],
            name=f"spark-lvm {name} {{{{ ds }}}}",
            conf={"spark.executor.memoryOverhead": "4g"},
            executor_memory="8g",
            driver_memory="4g",
        )
        for name, task in TASKS.items()
    }
    for name, task in TASKS.items():
        for upstream in task["upstream"]:
            operators[upstream] >> operators[name]
