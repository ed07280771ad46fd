"""Reference values from the Python `lifetimes` package for crmlens' customer-value models.

Fits lifetimes' BetaGeoFitter on the CDNOW 39-week summary (cdnow_customers_summary.csv) and
GammaGammaFitter on its repeat buyers (cdnow_customers_summary_with_transactions.csv), then
writes, for the first 50 customers of the summary:

    tests/fixtures/value/cdnow_lifetimes_reference.csv
        ID, frequency, recency, T, zbar,
        p_alive                      conditional_probability_alive
        expected_39, expected_52     conditional_expected_number_of_purchases_up_to_time(39 / 52 weeks)
        expected_spend               conditional_expected_average_profit
        clv_12m                      customer_lifetime_value(bgf, ..., time=12, discount_rate=0.01, freq="W")

and the fitted parameters with their log-likelihoods (evaluated by lifetimes' own likelihood
functions at the unscaled parameters), a new customer's expected purchases within 39, 52 and
78 weeks, the parameters of both fits with penalizer_coef = 0.01, and the package versions:

    tests/fixtures/value/cdnow_lifetimes_params.csv   (name, value)

tests/value_lifetimes.rs compares crmlens against both files.

Run from the repository root (lifetimes 0.11.3 installs and runs with numpy 2.4.6, pandas
3.1.1, scipy 1.17.1, autograd 1.9.1 on Python 3.11):

    python3 -m venv /tmp/ltenv && /tmp/ltenv/bin/pip install lifetimes==0.11.3
    /tmp/ltenv/bin/python scripts/reference/cdnow_lifetimes_reference.py
"""

import os
import sys
import warnings
from importlib import metadata

import numpy as np
import pandas as pd
import scipy

import lifetimes
from lifetimes import BetaGeoFitter, GammaGammaFitter

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "..", "shared", "data", "cdnow_lifetimes")
OUT = os.path.join(ROOT, "tests", "fixtures", "value")
FIRST = 50
PENALIZER = 0.01


def main():
    warnings.simplefilter("ignore")
    summary = pd.read_csv(os.path.join(DATA, "cdnow_customers_summary.csv"))
    with_tx = pd.read_csv(os.path.join(DATA, "cdnow_customers_summary_with_transactions.csv"))
    assert (summary["ID"].values == with_tx["ID"].values).all()
    assert (summary["frequency"].values == with_tx["x"].values).all()

    bgf = BetaGeoFitter()
    bgf.fit(summary["frequency"], summary["recency"], summary["T"])
    repeat = with_tx[with_tx["x"] > 0]
    ggf = GammaGammaFitter()
    ggf.fit(repeat["x"], repeat["zbar"])

    # The same fits with lifetimes' L2 penalizer (penalizer_coef = 0.01).
    bgf_pen = BetaGeoFitter(penalizer_coef=PENALIZER)
    bgf_pen.fit(summary["frequency"], summary["recency"], summary["T"])
    ggf_pen = GammaGammaFitter(penalizer_coef=PENALIZER)
    ggf_pen.fit(repeat["x"], repeat["zbar"])

    r, alpha, a, b = (float(bgf.params_[k]) for k in ("r", "alpha", "a", "b"))
    p, q, v = (float(ggf.params_[k]) for k in ("p", "q", "v"))
    n_bg, n_gg = len(summary), len(repeat)
    # lifetimes' objectives are mean negative log-likelihoods (+ penalty, 0 here); evaluated at
    # the unscaled parameters they give the log-likelihood in weeks.
    bg_ll = -n_bg * BetaGeoFitter._negative_log_likelihood(
        np.log([r, alpha, a, b]),
        summary["frequency"].values,
        summary["recency"].values,
        summary["T"].values,
        np.ones(n_bg),
        0.0,
    )
    gg_ll = -n_gg * GammaGammaFitter._negative_log_likelihood(
        np.log([p, q, v]), repeat["x"].values.astype(float), repeat["zbar"].values, np.ones(n_gg), 0.0
    )

    head = with_tx.head(FIRST)
    x, tx, T, zbar = head["x"], head["t_x"], head["T"], head["zbar"]
    out = pd.DataFrame(
        {
            "ID": head["ID"],
            "frequency": x,
            "recency": tx,
            "T": T,
            "zbar": zbar,
            "p_alive": bgf.conditional_probability_alive(x, tx, T),
            "expected_39": bgf.conditional_expected_number_of_purchases_up_to_time(39, x, tx, T),
            "expected_52": bgf.conditional_expected_number_of_purchases_up_to_time(52, x, tx, T),
            "expected_spend": ggf.conditional_expected_average_profit(x, zbar),
            "clv_12m": ggf.customer_lifetime_value(bgf, x, tx, T, zbar, time=12, discount_rate=0.01, freq="W"),
        }
    )
    os.makedirs(OUT, exist_ok=True)
    out.to_csv(os.path.join(OUT, "cdnow_lifetimes_reference.csv"), index=False)  # shortest round-trip floats

    params = [
        ("r", r),
        ("alpha", alpha),
        ("a", a),
        ("b", b),
        ("bgnbd_log_likelihood", float(bg_ll)),
        ("bgnbd_customers", n_bg),
        ("p", p),
        ("q", q),
        ("v", v),
        ("gamma_gamma_log_likelihood", float(gg_ll)),
        ("gamma_gamma_customers", n_gg),
        ("penalizer", PENALIZER),
    ]
    # Unconditional E[X(t)] of a new customer (expected_number_of_purchases_up_to_time).
    params += [(f"expected_new_{t}", float(bgf.expected_number_of_purchases_up_to_time(t))) for t in (39, 52, 78)]
    params += [(f"{k}_penalized", float(bgf_pen.params_[k])) for k in ("r", "alpha", "a", "b")]
    params += [(f"{k}_penalized", float(ggf_pen.params_[k])) for k in ("p", "q", "v")]
    with open(os.path.join(OUT, "cdnow_lifetimes_params.csv"), "w") as f:
        f.write("name,value\n")
        for name, value in params:
            f.write(f"{name},{value!r}\n")
        versions = (
            f"python {sys.version.split()[0]} lifetimes {lifetimes.__version__} numpy {np.__version__} "
            f"pandas {pd.__version__} scipy {scipy.__version__} autograd {metadata.version('autograd')}"
        )
        f.write(f"versions,{versions}\n")
    print(open(os.path.join(OUT, "cdnow_lifetimes_params.csv")).read())


if __name__ == "__main__":
    main()
