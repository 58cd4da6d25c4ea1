package report

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/hallu-dev/hallu/facts"
)

// SimData is the result of hallu sim --json.
type SimData struct {
	Points []simPointData `json:"points"`
}

type simPointData struct {
	N       int              `json:"n"`
	Mu      string           `json:"mu"`
	Prompts int              `json:"prompts"`
	Answers string           `json:"answers"`
	Alpha   string           `json:"alpha"`
	Summary []simSummaryData `json:"summary"`
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
	Held        simHeldData `json:"held"`
}

type simHeldData struct {
	Thm1        bool `json:"thm1"`
	Thm2Lower   bool `json:"thm2_lower"`
	Thm2Lower99 bool `json:"thm2_lower_99"`
	Thm2Upper   bool `json:"thm2_upper"`
	Thm2Upper99 bool `json:"thm2_upper_99"`
	Lemma1      bool `json:"lemma1"`
}

type simStatData struct {
	Mean   float64 `json:"mean"`
	Min    float64 `json:"min"`
	Q05    float64 `json:"q05"`
	Median float64 `json:"median"`
	Q95    float64 `json:"q95"`
	Max    float64 `json:"max"`
}

type simRatesData struct {
	Thm1        float64 `json:"thm1"`
	Thm2Lower   float64 `json:"thm2_lower"`
	Thm2Lower99 float64 `json:"thm2_lower_99"`
	Thm2Upper   float64 `json:"thm2_upper"`
	Thm2Upper99 float64 `json:"thm2_upper_99"`
	Lemma1      float64 `json:"lemma1"`
}

type simSummaryData struct {
	Learner     string       `json:"learner"`
	Runs        int          `json:"runs"`
	SR          simStatData  `json:"sr"`
	MM          simStatData  `json:"mm"`
	Err         simStatData  `json:"err"`
	Delta       simStatData  `json:"delta"`
	DeltaMaxZ   simStatData  `json:"delta_max_z"`
	ErrIIV      simStatData  `json:"err_iiv"`
	Abstention  simStatData  `json:"abstention"`
	Thm1Bound   simStatData  `json:"thm1_bound"`
	Thm2Lower   simStatData  `json:"thm2_lower"`
	Thm2Lower99 simStatData  `json:"thm2_lower_99"`
	Thm2Upper   simStatData  `json:"thm2_upper"`
	Thm2Upper99 simStatData  `json:"thm2_upper_99"`
	Held        simRatesData `json:"held"`
	Promised    simRatesData `json:"promised"`
}

// NewSimData gathers the figures of sim, run on e, for JSON.
func NewSimData(e facts.Experiment, sim *facts.Simulation) SimData {
	var out SimData
	for _, p := range sim.Points {
		pj := simPointData{N: p.N, Mu: p.Mu.String(), Prompts: p.Prompts, Answers: e.World.Answers.String(), Alpha: e.World.Alpha.String()}
		for _, s := range p.Summaries {
			pj.Summary = append(pj.Summary, simSummaryData{
				Learner: s.Learner.String(), Runs: s.Runs,
				SR: simStat(s.SR), MM: simStat(s.MM), Err: simStat(s.Err), Delta: simStat(s.Delta),
				DeltaMaxZ: simStat(s.DeltaMaxZ), ErrIIV: simStat(s.ErrIIV), Abstention: simStat(s.Abstention),
				Thm1Bound: simStat(s.Thm1Bound), Thm2Lower: simStat(s.Thm2Lower), Thm2Lower99: simStat(s.Thm2Lower99),
				Thm2Upper: simStat(s.Thm2Upper), Thm2Upper99: simStat(s.Thm2Upper99),
				Held: simRatesData(s.Held), Promised: simRatesData(s.Promised),
			})
		}
		for _, r := range p.Runs {
			for _, l := range r.Learners {
				pj.Runs = append(pj.Runs, simRun(r, l))
			}
		}
		out.Points = append(out.Points, pj)
	}
	return out
}

func simStat(s facts.Stat) simStatData { return simStatData(s) }

func simRun(r facts.RunResult, l facts.LearnerResult) simRunRecord {
	return simRunRecord{
		Learner: l.Learner.String(), Run: r.Run, Seed: r.Seed, N: r.N, Answered: r.Answered, Singletons: r.Singletons,
		SR: r.SR, MM: r.MM, MMLow: r.MMLow, MMHigh: r.MMHigh, AlphaHat: r.AlphaHat,
		Err: l.Err, Threshold: l.Threshold, PA: l.PA, PhatA: l.PhatA, Delta: l.Delta, DeltaMaxZ: l.DeltaMaxZ,
		ErrIIV: l.ErrIIV, Abstention: l.Abstention, Thm1Bound: l.Thm1Bound,
		Thm2Lower: l.Thm2Lower, Thm2Lower99: l.Thm2Lower99, Thm2Upper: l.Thm2Upper, Thm2Upper99: l.Thm2Upper99,
		Held: simHeldData(l.Held),
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

func simRates(r facts.Rates) []float64 {
	return []float64{r.Thm1, r.Thm2Lower, r.Thm2Lower99, r.Thm2Upper, r.Thm2Upper99, r.Lemma1}
}

func csvFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// WriteSimSummaryCSV writes one row per sweep point and learner: each
// figure's mean, 5%, 50% and 95% quantiles, then the fraction of runs in
// which each bound held and the probability promised.
func WriteSimSummaryCSV(w io.Writer, sim *facts.Simulation) error {
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
			for _, x := range simRates(s.Held) {
				row = append(row, csvFloat(x))
			}
			for _, x := range simRates(s.Promised) {
				row = append(row, csvFloat(x))
			}
			cw.Write(row)
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteSimRunsCSV writes one row per sweep point, run and learner.
func WriteSimRunsCSV(w io.Writer, sim *facts.Simulation) error {
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
				x := simRun(r, l)
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
