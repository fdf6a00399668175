// The pixel model: an LSTM (a core.Model, or a core.Tiered with a row tier)
// reading, at each sub-pixel, the previous level as a token and the
// Raster's causal context as features, with a categorical head over the
// levels; and its file, a core model file whose metadata rebuilds the
// Raster.

package pixels

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/arkit-go/arkit/core"
)

// Metadata keys of a pixels model file, besides core's (see docs/format.md).
const (
	MetaLayout   = "arkit.pixels.layout"   // feature layout version: FeatureLayout
	MetaWidth    = "arkit.pixels.width"    // image width in pixels
	MetaHeight   = "arkit.pixels.height"   // image height in pixels
	MetaChannels = "arkit.pixels.channels" // 1 (gray) or 3 (RGB)
	MetaLevels   = "arkit.pixels.levels"   // quantization levels, 2..256
	MetaContext  = "arkit.pixels.context"  // neighbourhood reach, Raster.Context
	MetaClasses  = "arkit.pixels.classes"  // JSON array of class names; [] for none
)

// Domain is the value of arkit.domain in a pixels model file.
const Domain = "pixels"

// FeatureLayout names the layout of Raster.Features that a model was trained
// on. It changes whenever Features changes, so that an old model is refused
// rather than fed inputs it never saw. A two-tier model's features begin
// with the previous sub-pixel (Raster.Prev): FeatureLayoutPrev.
const (
	FeatureLayout     = "raster-1"
	FeatureLayoutPrev = "prev+" + FeatureLayout
)

// ErrDomain is wrapped by Load's error for a model file of another
// domain (text, series, audio) or with no domain.
var ErrDomain = errors.New("not a pixels model")

// DefaultContext is the neighbourhood reach of a new model when
// TrainOptions.Context is zero: the 3 rows above, 3 columns either side, and the 3
// sub-pixels to the left (24 neighbours).
const DefaultContext = 3

// Model is an autoregressive model of images over the raster sequence that
// Raster describes: one LSTM stack (a *core.Model), or that stack
// conditioned by a row-level LSTM (a two-tier *core.Tiered whose frames are
// the image's rows: it reads each row once it is complete and gives every
// sub-pixel of the next row its own conditioning, so that the step level
// sees a summary of all the rows above, as PixelRNN's Row LSTM does). A
// Model is not safe for concurrent use.
type Model struct {
	Raster     Raster
	ClassNames []string // class names when Raster.Classes > 0, else nil
	Net        core.Net // *core.Model or *core.Tiered
}

// newModel returns a model for images of d's format (size, channels,
// levels and, unless o.Unconditional, classes when d is labelled), with
// o's network settings (after withDefaults and check), initialised from
// o.Seed.
func newModel(d *Dataset, o TrainOptions) (*Model, error) {
	r := d.Raster()
	r.Context = o.Context
	var names []string
	if !o.Unconditional && d.Labels != nil && len(d.ClassNames) > 0 {
		names = slices.Clone(d.ClassNames)
		r.Classes = len(names)
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	step, tiered := networkConfig(r, o)
	rng := rand.New(rand.NewPCG(o.Seed, 0x9e3779b97f4a7c15))
	if tiered == nil {
		return &Model{Raster: r, ClassNames: names, Net: core.NewModel(step, rng)}, nil
	}
	if err := tiered.Validate(); err != nil {
		return nil, fmt.Errorf("pixels: %w", err)
	}
	r.Prev = true
	return &Model{Raster: r, ClassNames: names, Net: core.NewTiered(*tiered, rng)}, nil
}

// networkConfig returns the step-level network that o describes for images
// of r's format (r.Prev unset), and, for two tiers, the Tiered
// configuration around it: one frame per image row, reading the row's
// sub-pixels (Raster.Prev's value of each step).
func networkConfig(r Raster, o TrainOptions) (step core.Config, tiered *core.TieredConfig) {
	step = core.Config{
		Vocab: r.Tokens(), Embed: o.Embed, Features: r.FeatureDim(),
		Hidden: o.Hidden, Layers: o.Layers, Dropout: o.Dropout,
		Likelihood: core.Categorical{N: r.Levels},
	}
	if o.Tiers < 2 {
		return step, nil
	}
	step.Features += o.Cond
	return step, &core.TieredConfig{Frame: r.W * r.C, FrameInputs: 1, FrameHidden: o.FrameHidden,
		FrameLayers: o.FrameLayers, Cond: o.Cond, Step: step}
}

// Meta returns the model's "arkit." metadata: the domain and what rebuilds
// its Raster.
func (m *Model) Meta() map[string]string {
	names := m.ClassNames
	if names == nil {
		names = []string{}
	}
	js, _ := json.Marshal(names)
	r := m.Raster
	layout := FeatureLayout
	if r.Prev {
		layout = FeatureLayoutPrev
	}
	return map[string]string{
		core.MetaDomain: Domain,
		MetaLayout:      layout,
		MetaWidth:       strconv.Itoa(r.W),
		MetaHeight:      strconv.Itoa(r.H),
		MetaChannels:    strconv.Itoa(r.C),
		MetaLevels:      strconv.Itoa(r.Levels),
		MetaContext:     strconv.Itoa(r.reach()),
		MetaClasses:     string(js),
	}
}

// Save writes the model (without any training state) to path atomically.
func (m *Model) Save(path string) error {
	if err := m.Net.Save(path, m.Meta(), nil); err != nil {
		return fmt.Errorf("pixels: %w", err)
	}
	return nil
}

// Load reads a pixels model file written by Save or Train, for sampling,
// completion and scoring. When the file holds the parameters of the best
// validation (a training checkpoint), the model uses those, unless the last
// parameters validated better at the end of the run (see
// core.Checkpoint.UseBest), as text and audio models do. Errors name the
// file: a missing or malformed file, a model of another domain (wrapping
// ErrDomain), or metadata that does not match the network (wrapping
// ErrFormat).
func Load(path string) (*Model, error) { return core.LoadBest(path, "pixels", fromCheckpoint) }

// fromCheckpoint builds the pixels model of a loaded model file (its
// network shared with ck).
func fromCheckpoint(ck *core.Checkpoint, path string) (*Model, error) {
	m, err := rebuild(ck)
	if err != nil {
		return nil, fmt.Errorf("pixels: %s: %w", path, err)
	}
	return m, nil
}

func rebuild(c *core.Checkpoint) (*Model, error) {
	meta := c.Meta
	switch dom := meta[core.MetaDomain]; dom {
	case Domain:
	case "":
		return nil, fmt.Errorf("%w: the file has no %s", ErrDomain, core.MetaDomain)
	default:
		return nil, fmt.Errorf("%w: it is a %s model", ErrDomain, dom)
	}
	var r Raster
	step, tiered := c.Model, (*core.Tiered)(nil)
	if step == nil {
		t, ok := c.Net.(*core.Tiered)
		if !ok || t.Config().Top > 0 {
			return nil, fmt.Errorf("%w: the network is neither one LSTM stack nor two tiers", ErrFormat)
		}
		tiered, r.Prev = t, true
	}
	want := FeatureLayout
	if r.Prev {
		want = FeatureLayoutPrev
	}
	switch l := meta[MetaLayout]; {
	case l != want && (l == FeatureLayout || l == FeatureLayoutPrev):
		return nil, fmt.Errorf("%w: feature layout %q does not fit the network (it needs %q)", ErrFormat, l, want)
	case l != want:
		return nil, fmt.Errorf("%w: feature layout %q, this version reads %q and %q", ErrFormat, l, FeatureLayout, FeatureLayoutPrev)
	}
	num := func(key string) (int, error) {
		v, err := strconv.Atoi(meta[key])
		if err != nil {
			return 0, fmt.Errorf("%w: %s = %q is not a number", ErrFormat, key, meta[key])
		}
		return v, nil
	}
	for _, f := range []struct {
		key string
		dst *int
	}{{MetaWidth, &r.W}, {MetaHeight, &r.H}, {MetaChannels, &r.C}, {MetaLevels, &r.Levels}, {MetaContext, &r.Context}} {
		v, err := num(f.key)
		if err != nil {
			return nil, err
		}
		*f.dst = v
	}
	var names []string
	if err := json.Unmarshal([]byte(meta[MetaClasses]), &names); err != nil {
		return nil, fmt.Errorf("%w: %s is not a JSON array of names: %v", ErrFormat, MetaClasses, err)
	}
	if len(names) == 0 {
		names = nil
	}
	r.Classes = len(names)
	if err := r.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	if r.Context == 0 {
		return nil, fmt.Errorf("%w: %s is 0", ErrFormat, MetaContext)
	}
	var net core.Net
	var cfg core.Config
	features := r.FeatureDim()
	if tiered == nil {
		net, cfg = step, step.Config()
	} else {
		tc := tiered.Config()
		net, cfg = tiered, tc.Step
		if tc.Frame != r.W*r.C || tc.FrameInputs != 1 || tc.Codes > 1 {
			return nil, fmt.Errorf("%w: frames of %d steps reading %d values (%d codes), the metadata needs rows of %d reading 1",
				ErrFormat, tc.Frame, tc.FrameInputs, tc.Codes, r.W*r.C)
		}
		features += tc.Cond - 1 // the step level reads the features after Prev's, then the conditioning
	}
	switch {
	case cfg.Vocab != r.Tokens():
		return nil, fmt.Errorf("%w: embedding of %d tokens, the metadata needs %d", ErrFormat, cfg.Vocab, r.Tokens())
	case cfg.Features != features:
		return nil, fmt.Errorf("%w: %d input features, the metadata needs %d", ErrFormat, cfg.Features, features)
	case net.Likelihood().Name() != "categorical" || net.OutSize() != r.Levels:
		return nil, fmt.Errorf("%w: %s head of %d outputs, want categorical over %d levels",
			ErrFormat, net.Likelihood().Name(), net.OutSize(), r.Levels)
	}
	return &Model{Raster: r, ClassNames: names, Net: net}, nil
}

// network describes the network in a few words: the step-level LSTM's
// layers and width, and the row tier's.
func (m *Model) network() string {
	c := m.stepConfig()
	s := fmt.Sprintf("LSTM %dx%d", c.Layers, c.Hidden)
	if t, ok := m.Net.(*core.Tiered); ok {
		tc := t.Config()
		s += fmt.Sprintf(" conditioned by a row LSTM %dx%d (%d values per sub-pixel)", tc.FrameLayers, tc.FrameHidden, tc.Cond)
	}
	return s
}

// stepConfig returns the step level's configuration.
func (m *Model) stepConfig() core.Config {
	if t, ok := m.Net.(*core.Tiered); ok {
		return t.Config().Step
	}
	return m.Net.(*core.Model).Config()
}

// String describes the model in one line.
func (m *Model) String() string {
	r := m.Raster
	s := fmt.Sprintf("%dx%dx%d images, %d levels, context %d, %s, %d parameters",
		r.W, r.H, r.C, r.Levels, r.reach(), m.network(), m.Net.Params().Count())
	if r.Classes > 0 {
		s += fmt.Sprintf(", %d classes", r.Classes)
	}
	return s
}

// describe is the one-line description of the network in the training
// plan.
func (m *Model) describe() string {
	r, c := m.Raster, m.stepConfig()
	s := fmt.Sprintf("%dx%dx%d images, %d levels, context %d", r.W, r.H, r.C, r.Levels, r.reach())
	if r.Classes > 0 {
		s += fmt.Sprintf(", %d classes", r.Classes)
	}
	return s + fmt.Sprintf("; %s (embed %d, dropout %g)", m.network(), c.Embed, c.Dropout)
}

// checkData reports whether d's images have the model's format.
func (m *Model) checkData(d *Dataset) error {
	r := m.Raster
	if d == nil || len(d.Images) == 0 {
		return fmt.Errorf("pixels: %w", ErrNoImages)
	}
	if d.Width != r.W || d.Height != r.H || d.Channels != r.C || d.Levels != r.Levels {
		return fmt.Errorf("pixels: images are %dx%d, %d channels, %d levels; the model wants %dx%d, %d channels, %d levels",
			d.Width, d.Height, d.Channels, d.Levels, r.W, r.H, r.C, r.Levels)
	}
	return d.Validate()
}

// classIndex returns the model's index of class name, or -1 for "".
func (m *Model) classIndex(name string) (int, error) {
	if name == "" {
		return -1, nil
	}
	if m.Raster.Classes == 0 {
		return 0, fmt.Errorf("pixels: class %q asked of a model that is not class-conditional", name)
	}
	i := slices.Index(m.ClassNames, name)
	if i < 0 {
		return 0, fmt.Errorf("pixels: unknown class %q; the model knows %s", name, quoteList(m.ClassNames, 20))
	}
	return i, nil
}

// labels returns, for a conditional model, the model's class index of each
// of d's images when d is labelled with class names the model knows, and nil
// otherwise (no class).
func (m *Model) labels(d *Dataset) []int {
	if m.Raster.Classes == 0 || d.Labels == nil {
		return nil
	}
	out := make([]int, len(d.Labels))
	for i, l := range d.Labels {
		out[i] = -1
		if l >= 0 && l < len(d.ClassNames) {
			out[i] = slices.Index(m.ClassNames, d.ClassNames[l])
		}
	}
	return out
}

// quoteList quotes up to n names, comma-separated.
func quoteList(names []string, n int) string {
	s := ""
	for i, v := range names {
		if i == n {
			return s + ", ..."
		}
		if i > 0 {
			s += ", "
		}
		s += strconv.Quote(v)
	}
	return s
}
