// The pixel model: a core.Model reading, at each sub-pixel, the previous
// level as a token and the Raster's causal context as features, with a
// categorical head over the levels; and its file, a core model file whose
// metadata rebuilds the Raster.

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
// rather than fed inputs it never saw.
const FeatureLayout = "raster-1"

// ErrDomain is wrapped by Load's error for a model file of another
// domain (text, series, audio) or with no domain.
var ErrDomain = errors.New("not a pixels model")

// DefaultContext is the neighbourhood reach of a new model when
// TrainOptions.Context is zero: the 3 rows above, 3 columns either side, and the 3
// sub-pixels to the left (24 neighbours).
const DefaultContext = 3

// Model is an autoregressive model of images: a core.Model over the raster
// sequence that Raster describes. A Model is not safe for concurrent use.
type Model struct {
	Raster     Raster
	ClassNames []string // class names when Raster.Classes > 0, else nil
	Net        *core.Model
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
	nc := core.Config{
		Vocab: r.Tokens(), Embed: o.Embed, Features: r.FeatureDim(),
		Hidden: o.Hidden, Layers: o.Layers, Dropout: o.Dropout,
		Likelihood: core.Categorical{N: r.Levels},
	}
	net := core.NewModel(nc, rand.New(rand.NewPCG(o.Seed, 0x9e3779b97f4a7c15)))
	return &Model{Raster: r, ClassNames: names, Net: net}, nil
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
	return map[string]string{
		core.MetaDomain: Domain,
		MetaLayout:      FeatureLayout,
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
	if c.Model == nil {
		return nil, fmt.Errorf("%w: the network is not a single LSTM model", ErrFormat)
	}
	if l := meta[MetaLayout]; l != FeatureLayout {
		return nil, fmt.Errorf("%w: feature layout %q, this version reads %q", ErrFormat, l, FeatureLayout)
	}
	num := func(key string) (int, error) {
		v, err := strconv.Atoi(meta[key])
		if err != nil {
			return 0, fmt.Errorf("%w: %s = %q is not a number", ErrFormat, key, meta[key])
		}
		return v, nil
	}
	var r Raster
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
	cfg := c.Model.Config()
	switch {
	case cfg.Vocab != r.Tokens():
		return nil, fmt.Errorf("%w: embedding of %d tokens, the metadata needs %d", ErrFormat, cfg.Vocab, r.Tokens())
	case cfg.Features != r.FeatureDim():
		return nil, fmt.Errorf("%w: %d input features, the metadata needs %d", ErrFormat, cfg.Features, r.FeatureDim())
	case c.Model.Likelihood().Name() != "categorical" || c.Model.OutSize() != r.Levels:
		return nil, fmt.Errorf("%w: %s head of %d outputs, want categorical over %d levels",
			ErrFormat, c.Model.Likelihood().Name(), c.Model.OutSize(), r.Levels)
	}
	return &Model{Raster: r, ClassNames: names, Net: c.Model}, nil
}

// String describes the model in one line.
func (m *Model) String() string {
	r, c := m.Raster, m.Net.Config()
	s := fmt.Sprintf("%dx%dx%d images, %d levels, context %d, LSTM %dx%d, %d parameters",
		r.W, r.H, r.C, r.Levels, r.reach(), c.Layers, c.Hidden, m.Net.Params().Count())
	if r.Classes > 0 {
		s += fmt.Sprintf(", %d classes", r.Classes)
	}
	return s
}

// describe is the one-line description of the network in the training
// plan.
func (m *Model) describe() string {
	r, c := m.Raster, m.Net.Config()
	s := fmt.Sprintf("%dx%dx%d images, %d levels, context %d", r.W, r.H, r.C, r.Levels, r.reach())
	if r.Classes > 0 {
		s += fmt.Sprintf(", %d classes", r.Classes)
	}
	return s + fmt.Sprintf("; LSTM %dx%d (embed %d, dropout %g)", c.Layers, c.Hidden, c.Embed, c.Dropout)
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
