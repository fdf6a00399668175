// Layouts: which columns are what (resolve, detectLayout), and the long,
// wide and one-series-per-row layouts turned into raw series.

package table

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// rawSeries is one series before the timestamp checks and gap filling.
type rawSeries struct {
	id     string
	times  []time.Time
	lines  []int
	values []float64
	cov    map[string][]float64
}

// columns resolves the named columns, checking they exist and are not
// used twice.
type columns struct {
	id, time    int // -1 if none
	values, cov []int
	// covOnly: no value columns; one series per id carries the
	// covariates (ReadFuture).
	covOnly bool
}

func (t *sheet) resolve(opt ReadOptions, layout Layout) (columns, error) {
	cs := columns{id: -1, time: -1, covOnly: opt.covariatesOnly}
	used := map[int]string{}
	use := func(name, role string) (int, error) {
		i, err := t.index(name, role)
		if err != nil {
			return -1, err
		}
		if prev, ok := used[i]; ok {
			return -1, &ParseError{File: t.name, Column: name, Err: fmt.Errorf("%w: column used as both %s and %s", ErrFormat, prev, role)}
		}
		used[i] = role
		return i, nil
	}
	var err error
	if opt.ID != "" {
		if cs.id, err = use(opt.ID, "the id"); err != nil {
			return cs, err
		}
	} else if layout == LayoutRows {
		cs.id = 0
		used[0] = "the id"
	}
	if opt.Time != "" {
		if cs.time, err = use(opt.Time, "the time"); err != nil {
			return cs, err
		}
	}
	for _, name := range opt.Covariates {
		i, err := use(name, "a covariate")
		if err != nil {
			return cs, err
		}
		cs.cov = append(cs.cov, i)
	}
	for _, name := range opt.Value {
		i, err := use(name, "a value")
		if err != nil {
			return cs, err
		}
		cs.values = append(cs.values, i)
	}
	if layout == LayoutWide && opt.ID != "" {
		return cs, &ParseError{File: t.name, Column: opt.ID, Err: fmt.Errorf("%w: the wide layout has no id column (each column is a series)", ErrFormat)}
	}
	if layout == LayoutRows {
		if opt.Time != "" || len(opt.Value) > 0 || len(opt.Covariates) > 0 || cs.covOnly {
			return cs, &ParseError{File: t.name, Err: fmt.Errorf("%w: the rows layout takes only an id column (no Time, Value or Covariates)", ErrFormat)}
		}
		return cs, nil
	}
	if cs.time < 0 && opt.Time == "" {
		for i := range t.cols {
			if _, taken := used[i]; taken {
				continue
			}
			ok, err := t.looksLikeTime(i)
			if err != nil {
				return cs, err
			}
			if ok {
				cs.time = i
				used[i] = "the time"
				break
			}
		}
	}
	if cs.covOnly {
		cs.values = nil
		if len(cs.cov) == 0 {
			return cs, &ParseError{File: t.name, Err: fmt.Errorf("%w: no covariate columns named", ErrEmpty)}
		}
		return cs, nil
	}
	if len(cs.values) == 0 {
		for i := range t.cols {
			if _, taken := used[i]; !taken {
				cs.values = append(cs.values, i)
			}
		}
	}
	if len(cs.values) == 0 {
		return cs, &ParseError{File: t.name, Err: fmt.Errorf("%w: no value columns", ErrEmpty)}
	}
	return cs, nil
}

// detectLayout implements the LayoutAuto rules documented on ReadOptions.
func (t *sheet) detectLayout(opt ReadOptions) (Layout, error) {
	idCol := 0
	if opt.ID != "" {
		if i := slices.Index(t.cols, opt.ID); i >= 0 {
			idCol = i
		}
	}
	first := t.rows[0]
	label := opt.ID != ""
	if !label && idCol < len(first) && t.cols[idCol] != opt.Time {
		c := first[idCol]
		if !isMissing(c) && !t.isNumber(c) {
			isTime, err := t.looksLikeTime(idCol)
			if err != nil {
				return 0, err
			}
			label = !isTime
		}
	}
	if !label {
		return LayoutWide, nil
	}
	if opt.Time != "" || len(opt.Value) > 0 || len(opt.Covariates) > 0 {
		return LayoutLong, nil
	}
	for i := range t.cols {
		if i == idCol {
			continue
		}
		isTime, err := t.looksLikeTime(i)
		if err != nil {
			return 0, err
		}
		if isTime {
			return LayoutLong, nil
		}
	}
	seen := map[string]bool{}
	for _, row := range t.rows {
		if idCol < len(row) {
			if seen[row[idCol]] {
				return LayoutLong, nil
			}
			seen[row[idCol]] = true
		}
	}
	return LayoutRows, nil
}

func (t *sheet) dataset(opt ReadOptions) (*Dataset, error) {
	layout := opt.Layout
	if layout == LayoutAuto {
		var err error
		if layout, err = t.detectLayout(opt); err != nil {
			return nil, err
		}
		if layout == LayoutLong && opt.ID == "" && t.cols[0] != opt.Time {
			opt.ID = t.cols[0]
		}
	}
	if layout > LayoutRows {
		return nil, fmt.Errorf("series: %s: unknown layout %d", t.name, layout)
	}
	if err := t.rectangular(layout == LayoutRows); err != nil {
		return nil, err
	}
	cs, err := t.resolve(opt, layout)
	if err != nil {
		return nil, err
	}
	var raws []rawSeries
	switch layout {
	case LayoutLong:
		raws, err = t.long(cs, opt.Time != "")
	case LayoutWide:
		raws, err = t.wide(cs, opt.Time != "")
	case LayoutRows:
		raws, err = t.byRow(cs)
	}
	if err != nil {
		return nil, err
	}
	return finish(t.name, raws, opt.Freq, opt.Agg, t.timeKind, !cs.covOnly)
}

func (t *sheet) floatColumns(cols []int) (map[int][]float64, error) {
	df, err := t.frame(cols)
	if err != nil {
		return nil, err
	}
	out := make(map[int][]float64, len(cols))
	for _, c := range cols {
		if out[c], err = t.floats(df, c); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (t *sheet) long(cs columns, unix bool) ([]rawSeries, error) {
	num := append(slices.Clone(cs.values), cs.cov...)
	df, err := t.frame(num)
	if err != nil {
		return nil, err
	}
	vals := make(map[int][]float64, len(num))
	for _, c := range num {
		if vals[c], err = t.floats(df, c); err != nil {
			return nil, err
		}
	}
	var ids []string
	if cs.id >= 0 {
		if ids, err = t.strings(df, cs.id); err != nil {
			return nil, err
		}
	}
	var times []time.Time
	if cs.time >= 0 {
		if times, err = t.times(df, cs.time, unix); err != nil {
			return nil, err
		}
	}
	// Group rows by id, in order of first appearance.
	var order []string
	groups := map[string][]int{}
	for r := range t.rows {
		id := ""
		if ids != nil {
			id = ids[r]
			if isMissing(id) {
				return nil, &ParseError{File: t.name, Line: t.lines[r], Column: t.cols[cs.id], Err: fmt.Errorf("%w: empty series id", ErrFormat)}
			}
		}
		if _, ok := groups[id]; !ok {
			order = append(order, id)
		}
		groups[id] = append(groups[id], r)
	}
	var out []rawSeries
	for _, id := range order {
		rows := groups[id]
		var gt []time.Time
		if times != nil {
			gt = make([]time.Time, len(rows))
			for i, r := range rows {
				gt[i] = times[r]
			}
		}
		lines := make([]int, len(rows))
		for i, r := range rows {
			lines[i] = t.lines[r]
		}
		var cov map[string][]float64
		if len(cs.cov) > 0 {
			cov = make(map[string][]float64, len(cs.cov))
			for _, c := range cs.cov {
				cov[t.cols[c]] = pick(vals[c], rows)
			}
		}
		if cs.covOnly {
			out = append(out, rawSeries{id: id, times: gt, lines: lines, values: nanSlice(len(rows)), cov: cov})
			continue
		}
		for k, c := range cs.values {
			name := id
			switch {
			case ids == nil:
				name = t.cols[c]
			case len(cs.values) > 1:
				name = id + "/" + t.cols[c]
			}
			rs := rawSeries{id: name, times: gt, lines: lines, values: pick(vals[c], rows), cov: cov}
			if k > 0 {
				rs.cov = cloneCov(cov)
				rs.times = slices.Clone(gt)
			}
			out = append(out, rs)
		}
	}
	return out, nil
}

func nanSlice(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = math.NaN()
	}
	return out
}

func pick(v []float64, rows []int) []float64 {
	out := make([]float64, len(rows))
	for i, r := range rows {
		out[i] = v[r]
	}
	return out
}

func cloneCov(c map[string][]float64) map[string][]float64 {
	if c == nil {
		return nil
	}
	out := make(map[string][]float64, len(c))
	for k, v := range c {
		out[k] = slices.Clone(v)
	}
	return out
}

func (t *sheet) wide(cs columns, unix bool) ([]rawSeries, error) {
	num := append(slices.Clone(cs.values), cs.cov...)
	df, err := t.frame(num)
	if err != nil {
		return nil, err
	}
	var times []time.Time
	if cs.time >= 0 {
		if times, err = t.times(df, cs.time, unix); err != nil {
			return nil, err
		}
	}
	cov := map[string][]float64{}
	for _, c := range cs.cov {
		if cov[t.cols[c]], err = t.floats(df, c); err != nil {
			return nil, err
		}
	}
	if cs.covOnly {
		return []rawSeries{{times: times, lines: t.lines, values: nanSlice(len(t.rows)), cov: cov}}, nil
	}
	out := make([]rawSeries, 0, len(cs.values))
	for k, c := range cs.values {
		v, err := t.floats(df, c)
		if err != nil {
			return nil, err
		}
		rs := rawSeries{id: t.cols[c], times: times, lines: t.lines, values: v}
		if len(cs.cov) > 0 {
			rs.cov = cov
		}
		if k > 0 {
			rs.times = slices.Clone(times)
			rs.cov = cloneCov(rs.cov)
		}
		out = append(out, rs)
	}
	return out, nil
}

func (t *sheet) byRow(cs columns) ([]rawSeries, error) {
	var num []int
	for i := range t.cols {
		if i != cs.id {
			num = append(num, i)
		}
	}
	if len(num) == 0 {
		return nil, &ParseError{File: t.name, Err: fmt.Errorf("%w: no value columns after the id column", ErrEmpty)}
	}
	df, err := t.frame(num)
	if err != nil {
		return nil, err
	}
	ids, err := t.strings(df, cs.id)
	if err != nil {
		return nil, err
	}
	cols := make([][]float64, len(num))
	for k, c := range num {
		if cols[k], err = t.floats(df, c); err != nil {
			return nil, err
		}
	}
	out := make([]rawSeries, len(t.rows))
	seen := make(map[string]int, len(t.rows))
	for r := range t.rows {
		id := ids[r]
		if isMissing(id) {
			return nil, &ParseError{File: t.name, Line: t.lines[r], Column: t.cols[cs.id], Err: fmt.Errorf("%w: empty series id", ErrFormat)}
		}
		if prev, ok := seen[id]; ok {
			return nil, &ParseError{File: t.name, Line: t.lines[r], Column: t.cols[cs.id], Err: fmt.Errorf("%w: series id %q already on line %d", ErrFormat, id, prev)}
		}
		seen[id] = t.lines[r]
		n := len(cols)
		for n > 0 && math.IsNaN(cols[n-1][r]) {
			n--
		}
		v := make([]float64, n)
		for k := range v {
			v[k] = cols[k][r]
		}
		out[r] = rawSeries{id: id, values: v}
	}
	return out, nil
}
