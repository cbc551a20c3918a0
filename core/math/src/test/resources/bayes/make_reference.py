#!/usr/bin/python3
"""Reference values from scikit-learn's BayesianGaussianMixture for BayesianMixtureSklearnTest.

Run with Debian's python3-sklearn (made with scikit-learn 1.2.1, numpy 1.24.2, scipy 1.10.1):
    /usr/bin/python3 make_reference.py
Reads ../sklearn/iris.csv and ../sklearn/wine.csv (the tables the EM reference bundles), draws a planted
2-D table, and writes reference.json beside itself: for every table, covariance type and weight prior,
the priors scikit-learn derived from the data, the fixed starting labels (k-means, random_state=0),
the lower bound after each of ITERATIONS iterations from the one-hot responsibilities of those labels
(BayesianGaussianMixture._initialize(X, resp), then its own E-step, M-step and
_compute_lower_bound, exactly fit_predict's loop with tol=0), and the final parameters. The
replicated loop is checked against fit() itself with _initialize_parameters patched to the same
responsibilities. The "custom" runs give every prior explicitly instead of taking the defaults.
"""
import json
import os
import warnings

import numpy as np
import scipy
import sklearn
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import BayesianGaussianMixture

warnings.simplefilter("ignore", ConvergenceWarning)
HERE = os.path.dirname(os.path.abspath(__file__))
ITERATIONS = 40
REG_COVAR = 1e-6
TYPES = ["full", "tied", "diag", "spherical"]
PRIORS = {"dirichlet-process": "dirichlet_process", "dirichlet": "dirichlet_distribution"}


def table(name):
    path = os.path.join(HERE, "..", "sklearn", name + ".csv")
    return np.loadtxt(path, delimiter=",", skiprows=1)[:, :-1]


def planted():
    rng = np.random.RandomState(13)
    means = np.array([[0.0, 0.0], [5.0, 1.0], [1.0, 6.0]])
    covs = [np.array([[1.0, 0.4], [0.4, 0.8]]), np.array([[0.5, 0.0], [0.0, 1.5]]),
            np.array([[1.2, -0.5], [-0.5, 0.9]])]
    sizes = [80, 50, 30]
    rows = [rng.multivariate_normal(means[c], covs[c], size=sizes[c]) for c in range(3)]
    return np.round(np.vstack(rows), 6)


def custom_prior(covariance_type, d):
    cov = np.eye(d) * 0.5 + 0.1
    return dict(weight_concentration_prior=0.5, mean_precision_prior=0.1,
                mean_prior=np.full(d, 0.5), degrees_of_freedom_prior=d + 1.5,
                covariance_prior={"full": cov, "tied": cov, "diag": np.diag(cov),
                                  "spherical": 0.7}[covariance_type])


def one_hot(labels, k):
    resp = np.zeros((len(labels), k))
    resp[np.arange(len(labels)), labels] = 1.0
    return resp


def run(X, labels, k, covariance_type, prior, extra):
    model = BayesianGaussianMixture(
        n_components=k, covariance_type=covariance_type, weight_concentration_prior_type=prior,
        reg_covar=REG_COVAR, tol=0.0, max_iter=ITERATIONS, random_state=0, **extra)
    model._validate_params()
    model._check_parameters(X)
    resp = one_hot(labels, k)
    model._initialize(X, resp)
    bounds = []
    for _ in range(ITERATIONS):
        log_prob_norm, log_resp = model._e_step(X)
        model._m_step(X, log_resp)
        bounds.append(float(model._compute_lower_bound(log_resp, log_prob_norm)))
    model._set_parameters(model._get_parameters())

    check = BayesianGaussianMixture(
        n_components=k, covariance_type=covariance_type, weight_concentration_prior_type=prior,
        reg_covar=REG_COVAR, tol=0.0, max_iter=ITERATIONS, random_state=0, **extra)
    check._initialize_parameters = lambda X_, random_state: check._initialize(X_, resp)
    check.fit(X)
    assert abs(check.lower_bound_ - bounds[-1]) <= 1e-12 * abs(bounds[-1]), (
        check.lower_bound_, bounds[-1])
    assert np.allclose(check.weights_, model.weights_, rtol=0, atol=1e-12)

    concentration = model.weight_concentration_
    concentration = ([list(concentration[0]), list(concentration[1])]
                     if prior == "dirichlet_process" else [list(concentration)])
    return {
        "priors": {
            "weightConcentration": float(model.weight_concentration_prior_),
            "meanPrecision": float(model.mean_precision_prior_),
            "meanPrior": np.asarray(model.mean_prior_, float).tolist(),
            "degreesOfFreedom": float(model.degrees_of_freedom_prior_),
            "covariancePrior": np.atleast_1d(np.asarray(model.covariance_prior_, float))
            .ravel().tolist(),
        },
        "lowerBounds": bounds,
        "weights": model.weights_.tolist(),
        "weightConcentration": [[float(v) for v in row] for row in concentration],
        "meanPrecision": np.atleast_1d(model.mean_precision_).tolist(),
        "means": model.means_.tolist(),
        "degreesOfFreedom": np.atleast_1d(model.degrees_of_freedom_).tolist(),
        "covariances": np.asarray(model.covariances_).tolist(),
    }


def main():
    tables = {"planted": (planted(), 6), "iris": (table("iris"), 6), "wine": (table("wine"), 4)}
    out = {"versions": {"sklearn": sklearn.__version__, "numpy": np.__version__,
                        "scipy": scipy.__version__},
           "iterations": ITERATIONS, "regCovar": REG_COVAR, "tables": {}}
    for name, (X, k) in tables.items():
        labels = KMeans(n_clusters=k, n_init=1, random_state=0).fit(X).labels_
        entry = {"k": k, "labels": labels.tolist(), "runs": {}}
        if name == "planted":
            entry["rows"] = X.tolist()
        for covariance_type in TYPES:
            for prior_id, prior in PRIORS.items():
                key = covariance_type + "/" + prior_id
                entry["runs"][key] = run(X, labels, k, covariance_type, prior, {})
                if name == "planted":
                    entry["runs"][key + "/custom"] = run(
                        X, labels, k, covariance_type, prior,
                        custom_prior(covariance_type, X.shape[1]))
        out["tables"][name] = entry
    with open(os.path.join(HERE, "reference.json"), "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
