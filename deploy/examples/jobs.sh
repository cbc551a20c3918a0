# Every spark-lvm job, in the order a pipeline runs them; sourced by standalone.sh, yarn.sh and
# kubernetes.sh, which define lvm() as their spark-submit. Paths: DATA (inputs) and MODELS (outputs),
# any Hadoop file system.

# Mixtures: compare k by BIC, fit the chosen one, score new rows, sample.
lvm gmm select --input "$DATA/train.parquet" --feature-cols "$FEATURES" --k 2..12 \
  --covariance full,diag --n-init 3 --output "$MODELS/gmm-best" --overwrite
lvm gmm fit --input "$DATA/train.parquet" --feature-cols "$FEATURES" --k 8 --covariance full \
  --n-init 5 --seed 42 --output "$MODELS/gmm" --overwrite
lvm gmm score --model "$MODELS/gmm" --input "$DATA/new.parquet" --anomaly-quantile 0.01 \
  --output "$DATA/gmm-scored.parquet" --overwrite
lvm gmm sample --model "$MODELS/gmm" --n 100000 --output "$DATA/gmm-samples.parquet" --overwrite

# VAEs: train (checkpointed per epoch; rerun with --resume after a failure), encode, score, sample.
lvm vae fit --input "$DATA/images.parquet" --features-col features --likelihood bernoulli \
  --latent-dim 32 --encoder 512,256 --decoder 256,512 --epochs 30 --batch-size-per-worker 64 \
  --averaging-frequency 5 --validation-fraction 0.1 --image-shape 28x28 \
  --output "$MODELS/vae" --overwrite
lvm vae encode --model "$MODELS/vae" --input "$DATA/new-images.parquet" \
  --output "$DATA/vae-codes.parquet" --overwrite
lvm vae score --model "$MODELS/vae" --input "$DATA/new-images.parquet" --importance-samples 1000 \
  --anomaly-quantile 0.01 --output "$DATA/vae-scored.parquet" --overwrite
lvm vae sample --model "$MODELS/vae" --n 1000 --image-shape 28x28 --output "$DATA/vae-samples" \
  --overwrite
