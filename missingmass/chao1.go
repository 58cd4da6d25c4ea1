package missingmass

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Richness is an estimate of the number of distinct answered prompts in the
// whole prompt population, seen or not, with a confidence interval.
type Richness struct {
	Estimate float64 `json:"chao1"`
	Low      float64 `json:"chao1_low"`
	High     float64 `json:"chao1_high"`
}

// Chao1 returns Chao's (1984) lower-bound estimator of richness from the
// answered counts in t, in the bias-corrected form that iNEXT and SpadeR use
// (Chao 1987; Chao et al. 2014), with n = Σ j·f_j answered examples and
// S_obs = Σ f_j observed prompts:
//
//	f̂_0 = (n−1)/n · f_1²/(2 f_2)        if f_2 > 0
//	f̂_0 = (n−1)/n · f_1(f_1−1)/2        if f_2 = 0
//	Ŝ   = S_obs + f̂_0
//
// and Chao's (1987) log-normal interval at confidence level 1−γ, which never
// falls below S_obs: with T = f̂_0 and z the standard normal 1−γ/2 quantile,
//
//	K = exp(z·sqrt(ln(1 + var/T²))),  interval = [S_obs + T/K, S_obs + T·K],
//
// where var is Chao's (1987) variance
//
//	f_2 > 0:  f_2·(a/2·r² + a²·r³ + a²/4·r⁴),  r = f_1/f_2, a = (n−1)/n
//	f_2 = 0:  a·f_1(f_1−1)/2 + a²·f_1(2f_1−1)²/4 − a²·f_1⁴/(4Ŝ).
//
// When f̂_0 = 0 (f_1 = 0, or f_1 = 1 and f_2 = 0) the estimate is S_obs and
// the upper end is Chao's for that case, with P = Σ_j f_j e^{−j} / S_obs and
// var = Σ_j f_j (e^{−j} − e^{−2j}) − (Σ_j j e^{−j} f_j)²/n:
//
//	[S_obs, S_obs/(1−P) + z·√var/(1−P)].
//
// These are the cases and formulas of Anne Chao's SpadeR (R/SpecAbunChao1.R),
// re-derived here from the published estimators, with one change: SpadeR's
// lower end in the f̂_0 = 0 case, max(S_obs, S_obs/(1−P) − z·√var/(1−P)), can
// exceed the estimate S_obs; here it is S_obs, which the richness cannot be
// below. An empty table gives all
// zeros. Chao1 is not part of the paper: it tells how many more prompts than
// seen the population likely holds, next to the missing mass that Theorem 2
// uses. γ must lie in (0, 1).
func Chao1(t FreqOfFreq, gamma float64) (Richness, error) {
	if !(gamma > 0 && gamma < 1) {
		return Richness{}, fmt.Errorf("chao1: γ = %v outside (0, 1)", gamma)
	}
	n := float64(t.Answered())
	sObs := float64(t.Distinct())
	if n == 0 {
		return Richness{}, nil
	}
	f1, f2 := float64(t.F(1)), float64(t.F(2))
	a := (n - 1) / n
	var f0, v float64
	if f2 > 0 {
		r := f1 / f2
		f0 = a * f1 * f1 / (2 * f2)
		v = f2 * (a/2*r*r + a*a*r*r*r + a*a/4*r*r*r*r)
	} else {
		f0 = a * f1 * (f1 - 1) / 2
		v = a*f1*(f1-1)/2 + a*a*f1*(2*f1-1)*(2*f1-1)/4 - a*a*f1*f1*f1*f1/(4*(sObs+f0))
	}
	est := sObs + f0
	z := distuv.UnitNormal.Quantile(1 - gamma/2)
	if f0 > 0 {
		k := math.Exp(z * math.Sqrt(math.Log1p(math.Max(v, 0)/(f0*f0))))
		return Richness{Estimate: est, Low: sObs + f0/k, High: sObs + f0*k}, nil
	}
	var p, sq, lin float64
	for _, c := range t {
		j, f := float64(c.J), float64(c.F)
		e := math.Exp(-j)
		p += f * e
		sq += f * (e - e*e)
		lin += j * e * f
	}
	p /= sObs
	sd := math.Sqrt(math.Max(sq-lin*lin/n, 0))
	return Richness{
		Estimate: est,
		Low:      sObs,
		High:     (sObs + z*sd) / (1 - p),
	}, nil
}
