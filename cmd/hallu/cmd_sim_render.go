package main

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/hallu-dev/hallu/facts"
)

// simJSON is the result of hallu sim --json.
type simJSON struct {
	Points []simPointJSON `json:"points"`
}

type simPointJSON struct {
	N       int              `json:"n"`
	Mu      string           `json:"mu"`
	Prompts int              `json:"prompts"`
	Answers string           `json:"answers"`
	Alpha   string           `json:"alpha"`
	Summary []simSummaryJSON `json:"summary"`
	Runs    []simRunRecord   `json:"runs"`
}

// simRunRecord is one run and learner: the run's figures and the learner's.
type simRunRecord struct {
	Learner     string      `json:"learner"`
	Run         int         `json:"run"`
	Seed        uint64      `json:"seed"`
	N           int         `json:"n"`
	Answered    int         `json:"answered"`
	Singletons  int         `json:"singletons"`
	SR          float64     `json:"sr"`
	MM          float64     `json:"mm"`
	MMLow       float64     `json:"mm_low"`
	MMHigh      float64     `json:"mm_high"`
	AlphaHat    float64     `json:"alpha_hat"`
	Err         float64     `json:"err"`
	Threshold   float64     `json:"threshold"`
	PA          float64     `json:"p_A"`
	PhatA       float64     `json:"phat_A"`
	Delta       float64     `json:"delta"`
	DeltaMaxZ   float64     `json:"delta_max_z"`
	ErrIIV      float64     `json:"err_iiv"`
	Abstention  float64     `json:"abstention"`
	Thm1Bound   float64     `json:"thm1_bound"`
	Thm2Lower   float64     `json:"thm2_lower"`
	Thm2Lower99 float64     `json:"thm2_lower_99"`
	Thm2Upper   float64     `json:"thm2_upper"`
	Thm2Upper99 float64     `json:"thm2_upper_99"`
	Held        simHeldJSON `json:"held"`
}

type simHeldJSON struct {
	Thm1        bool `json:"thm1"`
	Thm2Lower   bool `json:"thm2_lower"`
	Thm2Lower99 bool `json:"thm2_lower_99"`
	Thm2Upper   bool `json:"thm2_upper"`
	Thm2Upper99 bool `json:"thm2_upper_99"`
	Lemma1      bool `json:"lemma1"`
}

type simStatJSON struct {
	Mean   float64 `json:"mean"`
	Min    float64 `json:"min"`
	Q05    float64 `json:"q05"`
	Median float64 `json:"median"`
	Q95    float64 `json:"q95"`
	Max    float64 `json:"max"`
}

type simRatesJSON struct {
	Thm1        float64 `json:"thm1"`
	Thm2Lower   float64 `json:"thm2_lower"`
	Thm2Lower99 float64 `json:"thm2_lower_99"`
	Thm2Upper   float64 `json:"thm2_upper"`
	Thm2Upper99 float64 `json:"thm2_upper_99"`
	Lemma1      float64 `json:"lemma1"`
}

type simSummaryJSON struct {
	Learner     string       `json:"learner"`
	Runs        int          `json:"runs"`
	SR          simStatJSON  `json:"sr"`
	MM          simStatJSON  `json:"mm"`
	Err         simStatJSON  `json:"err"`
	Delta       simStatJSON  `json:"delta"`
	DeltaMaxZ   simStatJSON  `json:"delta_max_z"`
	ErrIIV      simStatJSON  `json:"err_iiv"`
	Abstention  simStatJSON  `json:"abstention"`
	Thm1Bound   simStatJSON  `json:"thm1_bound"`
	Thm2Lower   simStatJSON  `json:"thm2_lower"`
	Thm2Lower99 simStatJSON  `json:"thm2_lower_99"`
	Thm2Upper   simStatJSON  `json:"thm2_upper"`
	Thm2Upper99 simStatJSON  `json:"thm2_upper_99"`
	Held        simRatesJSON `json:"held"`
	Promised    simRatesJSON `json:"promised"`
}

func simResultJSON(e facts.Experiment, sim *facts.Simulation) simJSON {
	var out simJSON
	for _, p := range sim.Points {
		pj := simPointJSON{N: p.N, Mu: p.Mu.String(), Prompts: p.Prompts, Answers: e.World.Answers.String(), Alpha: e.World.Alpha.String()}
		for _, s := range p.Summaries {
			pj.Summary = append(pj.Summary, simSummaryJSON{
				Learner: s.Learner.String(), Runs: s.Runs,
				SR: statJSON(s.SR), MM: statJSON(s.MM), Err: statJSON(s.Err), Delta: statJSON(s.Delta),
				DeltaMaxZ: statJSON(s.DeltaMaxZ), ErrIIV: statJSON(s.ErrIIV), Abstention: statJSON(s.Abstention),
				Thm1Bound: statJSON(s.Thm1Bound), Thm2Lower: statJSON(s.Thm2Lower), Thm2Lower99: statJSON(s.Thm2Lower99),
				Thm2Upper: statJSON(s.Thm2Upper), Thm2Upper99: statJSON(s.Thm2Upper99),
				Held: simRatesJSON(s.Held), Promised: simRatesJSON(s.Promised),
			})
		}
		for _, r := range p.Runs {
			for _, l := range r.Learners {
				pj.Runs = append(pj.Runs, runRecord(r, l))
			}
		}
		out.Points = append(out.Points, pj)
	}
	return out
}

func statJSON(s facts.Stat) simStatJSON { return simStatJSON(s) }

func runRecord(r facts.RunResult, l facts.LearnerResult) simRunRecord {
	return simRunRecord{
		Learner: l.Learner.String(), Run: r.Run, Seed: r.Seed, N: r.N, Answered: r.Answered, Singletons: r.Singletons,
		SR: r.SR, MM: r.MM, MMLow: r.MMLow, MMHigh: r.MMHigh, AlphaHat: r.AlphaHat,
		Err: l.Err, Threshold: l.Threshold, PA: l.PA, PhatA: l.PhatA, Delta: l.Delta, DeltaMaxZ: l.DeltaMaxZ,
		ErrIIV: l.ErrIIV, Abstention: l.Abstention, Thm1Bound: l.Thm1Bound,
		Thm2Lower: l.Thm2Lower, Thm2Lower99: l.Thm2Lower99, Thm2Upper: l.Thm2Upper, Thm2Upper99: l.Thm2Upper99,
		Held: simHeldJSON(l.Held),
	}
}

// simFigures names the figures of a summary, in the order of the CSV columns.
var simFigures = []struct {
	name string
	get  func(s *facts.Summary) facts.Stat
}{
	{"sr", func(s *facts.Summary) facts.Stat { return s.SR }},
	{"mm", func(s *facts.Summary) facts.Stat { return s.MM }},
	{"err", func(s *facts.Summary) facts.Stat { return s.Err }},
	{"delta", func(s *facts.Summary) facts.Stat { return s.Delta }},
	{"delta_max_z", func(s *facts.Summary) facts.Stat { return s.DeltaMaxZ }},
	{"err_iiv", func(s *facts.Summary) facts.Stat { return s.ErrIIV }},
	{"abstention", func(s *facts.Summary) facts.Stat { return s.Abstention }},
	{"thm1_bound", func(s *facts.Summary) facts.Stat { return s.Thm1Bound }},
	{"thm2_lower", func(s *facts.Summary) facts.Stat { return s.Thm2Lower }},
	{"thm2_lower_99", func(s *facts.Summary) facts.Stat { return s.Thm2Lower99 }},
	{"thm2_upper", func(s *facts.Summary) facts.Stat { return s.Thm2Upper }},
	{"thm2_upper_99", func(s *facts.Summary) facts.Stat { return s.Thm2Upper99 }},
}

var simBounds = []string{"thm1", "thm2_lower", "thm2_lower_99", "thm2_upper", "thm2_upper_99", "lemma1"}

func rates(r facts.Rates) []float64 {
	return []float64{r.Thm1, r.Thm2Lower, r.Thm2Lower99, r.Thm2Upper, r.Thm2Upper99, r.Lemma1}
}

func csvFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// writeSimSummaryCSV writes one row per sweep point and learner: each
// figure's mean, 5%, 50% and 95% quantiles, then the fraction of runs in
// which each bound held and the probability promised.
func writeSimSummaryCSV(w io.Writer, sim *facts.Simulation) error {
	cw := csv.NewWriter(w)
	header := []string{"n", "mu", "prompts", "learner", "runs"}
	for _, f := range simFigures {
		header = append(header, f.name+"_mean", f.name+"_q05", f.name+"_median", f.name+"_q95")
	}
	for _, b := range simBounds {
		header = append(header, "held_"+b)
	}
	for _, b := range simBounds {
		header = append(header, "promised_"+b)
	}
	cw.Write(header)
	for _, p := range sim.Points {
		for i := range p.Summaries {
			s := &p.Summaries[i]
			row := []string{strconv.Itoa(p.N), p.Mu.String(), strconv.Itoa(p.Prompts), s.Learner.String(), strconv.Itoa(s.Runs)}
			for _, f := range simFigures {
				st := f.get(s)
				row = append(row, csvFloat(st.Mean), csvFloat(st.Q05), csvFloat(st.Median), csvFloat(st.Q95))
			}
			for _, x := range rates(s.Held) {
				row = append(row, csvFloat(x))
			}
			for _, x := range rates(s.Promised) {
				row = append(row, csvFloat(x))
			}
			cw.Write(row)
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeSimRunsCSV writes one row per sweep point, run and learner.
func writeSimRunsCSV(w io.Writer, sim *facts.Simulation) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"mu", "prompts", "learner", "run", "seed", "n", "answered", "singletons", "sr", "mm", "mm_low", "mm_high", "alpha_hat",
		"err", "threshold", "p_A", "phat_A", "delta", "delta_max_z", "err_iiv", "abstention", "thm1_bound",
		"thm2_lower", "thm2_lower_99", "thm2_upper", "thm2_upper_99",
		"held_thm1", "held_thm2_lower", "held_thm2_lower_99", "held_thm2_upper", "held_thm2_upper_99", "held_lemma1"})
	b := func(v bool) string {
		if v {
			return "1"
		}
		return "0"
	}
	for _, p := range sim.Points {
		for _, r := range p.Runs {
			for _, l := range r.Learners {
				x := runRecord(r, l)
				cw.Write([]string{p.Mu.String(), strconv.Itoa(p.Prompts), x.Learner, strconv.Itoa(x.Run), strconv.FormatUint(x.Seed, 10),
					strconv.Itoa(x.N), strconv.Itoa(x.Answered), strconv.Itoa(x.Singletons),
					csvFloat(x.SR), csvFloat(x.MM), csvFloat(x.MMLow), csvFloat(x.MMHigh), csvFloat(x.AlphaHat),
					csvFloat(x.Err), csvFloat(x.Threshold), csvFloat(x.PA), csvFloat(x.PhatA), csvFloat(x.Delta), csvFloat(x.DeltaMaxZ),
					csvFloat(x.ErrIIV), csvFloat(x.Abstention), csvFloat(x.Thm1Bound),
					csvFloat(x.Thm2Lower), csvFloat(x.Thm2Lower99), csvFloat(x.Thm2Upper), csvFloat(x.Thm2Upper99),
					b(x.Held.Thm1), b(x.Held.Thm2Lower), b(x.Held.Thm2Lower99), b(x.Held.Thm2Upper), b(x.Held.Thm2Upper99), b(x.Held.Lemma1)})
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
