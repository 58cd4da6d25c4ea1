"""One run (or several) of the Arbitrary Facts simulation, as a researcher
would write it with numpy: the baseline bench/sim.sh times beside hallu sim.

Same model and formulas as package facts (paper.md §3): K prompts with Zipf(S)
weights, |R_c| = R answers, α_c = ALPHA; N examples i.i.d. (prompt by
rng.choice, answer with probability α); per learner the closed form of err,
δ at 1/(R−1), max_z δ_z, err_iiv and Theorem 1–2's bounds. Different random
numbers from hallu's, so the two agree only statistically.

usage: sim_numpy.py K N S R ALPHA SEED RUNS
"""
import json
import math
import sys

import numpy as np


def learners(n, m, alpha, alpha_hat, R):
    unans = n == 0
    memo_a, memo_i = alpha, 1 - alpha
    out = {}
    # calibrated, calibrated-est, guess, abstain: memorise answered prompts
    for name, a in (("calibrated", alpha), ("calibrated-est", np.full_like(alpha, alpha_hat))):
        ma, mi = (memo_a, memo_i) if name == "calibrated" else (a, 1 - a)
        pv = np.where(unans, a / R, ma)
        pe = np.where(unans, a / R, 0.0)
        pi = 1 - a if name == "calibrated-est" else np.where(unans, 1 - a, mi)
        out[name] = (pv, pe, pi)
    out["guess"] = (np.where(unans, 1 / R, memo_a), np.where(unans, 1 / R, 0.0), np.where(unans, 0.0, memo_i))
    out["abstain"] = (np.where(unans, 0.0, memo_a), np.zeros_like(alpha), np.where(unans, 1.0, memo_i))
    tot = n + m + (R + 1.0)
    out["addk:1"] = ((n + 1.0) / tot, 1.0 / tot, (m + 1.0) / tot)
    return out


def quantities(mu, alpha, pv, pe, pi, R):
    z = 1.0 / (R - 1)
    err_rows = (R - 1) * pe
    unlisted = np.maximum(0.0, 1 - pv - err_rows - pi)
    err = float(np.sum(mu * (err_rows + unlisted)))
    a = np.sum(np.where(pv > z, mu * pv, 0)) + np.sum(np.where(pe > z, mu * err_rows, 0)) + np.sum(np.where(pi > z, mu * pi, 0))
    b = np.sum(np.where(pv > z, mu * alpha, 0)) + np.sum(np.where(pi > z, mu * (1 - alpha), 0))
    d = np.sum(np.where(pe > z, mu / 2, 0))
    delta = abs(a - b)
    err_iiv = 0.5 - b / 2 + d
    phat = np.concatenate([pv, pe, pi])
    diff = np.concatenate([mu * pv - mu * alpha, mu * err_rows, mu * pi - mu * (1 - alpha)])
    keep = (phat > 0) & (diff != 0)
    phat, diff = phat[keep], diff[keep]
    order = np.argsort(-phat, kind="stable")
    phat, cum = phat[order], np.cumsum(diff[order])
    ends = np.append(phat[1:] != phat[:-1], True) if len(phat) else np.zeros(0, bool)
    dmax = float(np.max(np.abs(cum[ends]))) if len(phat) else 0.0
    return dict(err=err, delta=float(delta), delta_max_z=dmax, err_iiv=float(err_iiv),
                abstention=float(np.sum(mu * pi)), thm1_bound=float(2 * err_iiv - 2 * z - delta))


def run(K, N, S, R, A, seed):
    rng = np.random.default_rng(seed)
    mu = np.arange(1, K + 1, dtype=float) ** -S
    mu /= mu.sum()
    alpha = np.full(K, A)
    c = rng.choice(K, size=N, p=mu)
    ans = rng.random(N) < alpha[c]
    n = np.bincount(c[ans], minlength=K)
    m = np.bincount(c[~ans], minlength=K)
    sr = float(np.sum(n == 1)) / N
    mm = float(np.sum((mu * alpha)[n == 0]))
    alpha_hat = float(n.sum()) / N
    gamma = 0.01
    recs = []
    for name, (pv, pe, pi) in learners(n, m, alpha, alpha_hat, R).items():
        q = quantities(mu, alpha, pv, pe, pi, R)
        lower = sr - 2 / (R - 1) - 6 * math.log(3 * N / gamma) / math.sqrt(N) - q["delta"]
        lower99 = sr - 2 / (R - 1) - (35 + 6 * math.log(N)) / math.sqrt(N) - q["delta"]
        upper = sr - sr / R + 5 * math.sqrt(math.log(5 / gamma) / N)
        recs.append(dict(learner=name, seed=seed, n=N, sr=sr, mm=mm, thm2_lower=lower, thm2_lower_99=lower99, thm2_upper=upper, **q))
    return recs


def main():
    K, N = int(float(sys.argv[1])), int(float(sys.argv[2]))
    S, R, A = float(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
    seed, runs = int(sys.argv[6]), int(sys.argv[7])
    out = []
    for r in range(runs):
        out.extend(run(K, N, S, R, A, seed + r))
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
