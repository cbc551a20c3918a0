#!/usr/bin/python3
"""Reference values from scikit-learn for spark-lvm's Gaussian-mixture tests.

Run with Debian's python3-sklearn (`apt-get install python3-sklearn`; made with scikit-learn 1.2.1,
numpy 1.24.2):  /usr/bin/python3 make_reference.py
Writes beside itself: iris.csv, wine.csv, breast_cancer.csv (the tables bundled with scikit-learn, one
header line of column names, features then `label`) and reference.json:
  trace:  from a fixed starting mixture, the mean log-likelihood and parameters after 1..T EM
          iterations (GaussianMixture(max_iter=t, tol=0, means_init/weights_init/precisions_init)),
          for every covariance type, on iris;
  best:   GaussianMixture(n_init=5, reg_covar=1e-6, random_state=0).fit(X).score(X) on real tables.
"""
import json
import os
import warnings

import numpy as np
from sklearn import datasets
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

warnings.simplefilter("ignore", ConvergenceWarning)
HERE = os.path.dirname(os.path.abspath(__file__))
TABLES = {
    "iris": datasets.load_iris,
    "wine": datasets.load_wine,
    "breast_cancer": datasets.load_breast_cancer,
}


def write_table(name, bunch):
    cols = ["f%d" % j for j in range(bunch.data.shape[1])]
    with open(os.path.join(HERE, name + ".csv"), "w") as f:
        f.write(",".join(cols + ["label"]) + "\n")
        for x, y in zip(bunch.data, bunch.target):
            f.write(",".join(repr(float(v)) for v in x) + ",%d\n" % y)
    return bunch.data


def precisions_init(cov, k, d, covariance_type):
    prec = np.linalg.inv(cov)
    if covariance_type == "full":
        return np.stack([prec] * k)
    if covariance_type == "tied":
        return prec
    if covariance_type == "diag":
        return np.stack([1.0 / np.diag(cov)] * k)
    return np.full(k, 1.0 / np.mean(np.diag(cov)))


def trace(X, start_rows, iterations, reg_covar):
    k, d = len(start_rows), X.shape[1]
    means = X[start_rows]
    weights = np.full(k, 1.0 / k)
    cov = np.cov(X.T, bias=True)
    out = {"startRows": start_rows, "regCovar": reg_covar, "iterations": iterations, "types": {}}
    for t in ["full", "diag", "tied", "spherical"]:
        steps = []
        for it in range(1, iterations + 1):
            gm = GaussianMixture(n_components=k, covariance_type=t, max_iter=it, tol=0.0,
                                 reg_covar=reg_covar, weights_init=weights, means_init=means,
                                 precisions_init=precisions_init(cov, k, d, t))
            gm.fit(X)
            steps.append({"meanLogLikelihood": float(gm.score(X)),
                          "weights": gm.weights_.tolist(), "means": gm.means_.tolist()})
        out["types"][t] = steps
    return out


def main():
    data = {name: write_table(name, loader()) for name, loader in TABLES.items()}
    reference = {"sklearn": __import__("sklearn").__version__,
                 "trace": trace(data["iris"], [0, 50, 100], 10, 1e-6), "best": []}
    for name, k, t in [("iris", 3, "full"), ("iris", 4, "diag"), ("wine", 3, "diag"),
                       ("wine", 2, "full"), ("breast_cancer", 2, "diag"),
                       ("breast_cancer", 3, "tied")]:
        gm = GaussianMixture(n_components=k, covariance_type=t, reg_covar=1e-6, n_init=5,
                             random_state=0, max_iter=1000, tol=1e-6).fit(data[name])
        reference["best"].append({"table": name, "k": k, "covarianceType": t,
                                  "meanLogLikelihood": float(gm.score(data[name]))})
    with open(os.path.join(HERE, "reference.json"), "w") as f:
        json.dump(reference, f, indent=1)


if __name__ == "__main__":
    main()
