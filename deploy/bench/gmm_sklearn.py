#!/usr/bin/env python3
"""scikit-learn's GaussianMixture as the third peer of `lvm bench gmm`.

Usage: gmm_sklearn.py FOLDER ITERATIONS THREADS
FOLDER holds rows.f64 (little-endian float64, row-major) and start.json ({"rows", "dims", "k",
"regCovar", "weights", "means", "covariances" (k x d*d, row-major)}), both written by the bench.
Prints one JSON line: secondsPerIteration, meanLogLikelihood (score(): the mean log-likelihood per
row), iterations, threads, version, blas (threadpoolctl's view, or null).

Timing: sklearn's fit() runs a final E-step after its last iteration, and on a fresh fit it first
computes parameters from initial responsibilities (then replaced by weights_init, means_init and
precisions_init). So max_iter=1 per warm-started call would time two E-steps per M-step. Instead two
fresh fits from the same start with tol=0 (sklearn stops only when |change| < tol, never here):
max_iter=1 and max_iter=N; (T_N - T_1) / (N - 1) is the mean of N - 1 whole iterations, the set-up
and the final E-step cancelling. With N = 1 it is T_1, set-up included (an over-estimate).
"""
import json
import os
import sys
import time

import numpy as np


def main():
    folder, iterations, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    import sklearn
    from sklearn.mixture import GaussianMixture

    with open(os.path.join(folder, "start.json")) as f:
        start = json.load(f)
    n, d, k = start["rows"], start["dims"], start["k"]
    x = np.fromfile(os.path.join(folder, "rows.f64"), dtype="<f8").reshape(n, d)
    weights = np.asarray(start["weights"], dtype=float)
    means = np.asarray(start["means"], dtype=float)
    covs = np.asarray(start["covariances"], dtype=float).reshape(k, d, d)
    precisions = np.linalg.inv(covs)
    precisions = 0.5 * (precisions + np.transpose(precisions, (0, 2, 1)))

    def fit(max_iter):
        # init_params="random": the cheapest throw-away initial responsibilities (no k-means).
        gm = GaussianMixture(n_components=k, covariance_type="full", tol=0.0,
                             reg_covar=start["regCovar"], max_iter=max_iter, n_init=1,
                             init_params="random", weights_init=weights, means_init=means,
                             precisions_init=precisions, random_state=0)
        t0 = time.perf_counter()
        gm.fit(x)
        return gm, time.perf_counter() - t0

    blas = None
    try:
        from threadpoolctl import threadpool_info, threadpool_limits
        limiter = threadpool_limits(limits=threads)  # held until the process ends
        blas = [{key: p.get(key) for key in ("user_api", "internal_api", "version", "num_threads",
                                              "threading_layer", "architecture")}
                for p in threadpool_info()]
    except ImportError:
        pass  # the bench set OMP_NUM_THREADS / OPENBLAS_NUM_THREADS instead
    import warnings
    warnings.simplefilter("ignore")  # ConvergenceWarning: not converging is the point
    _, t1 = fit(1)
    if iterations > 1:
        model, tn = fit(iterations)
        per_iteration = (tn - t1) / (iterations - 1)
    else:
        model, per_iteration = fit(1)[0], t1
    print(json.dumps({"secondsPerIteration": per_iteration,
                      "meanLogLikelihood": float(model.score(x)),
                      "iterations": int(model.n_iter_), "threads": threads,
                      "version": sklearn.__version__, "blas": blas}))


if __name__ == "__main__":
    main()
