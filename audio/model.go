// The audio model: a core network over mu-law codes, one step per sample,
// and its file. At each step the network reads the previous sample (its code
// as a token, its value as a real number for the frame tier) and, when the
// model is conditioned, the recording's class as a one-hot vector; its head
// is a categorical distribution over the codes of the next sample.

package audio

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/arkit-go/arkit/core"
)

// Metadata keys of an audio model file, beside core's (see docs/format.md).
const (
	// Domain is the value of core.MetaDomain in an audio model file.
	Domain = "audio"
	// MetaRate holds the sample rate in Hz.
	MetaRate = "arkit.audio.rate"
	// MetaLevels holds the number of mu-law levels (256).
	MetaLevels = "arkit.audio.levels"
	// MetaLabels holds the JSON array of the class labels in one-hot order;
	// [] for an unconditioned model.
	MetaLabels = "arkit.audio.labels"
	// MetaInputs names the layout of each step's inputs (InputLayout).
	MetaInputs = "arkit.audio.inputs"
	// MetaHistory holds the number of past sample values the sample
	// level reads at each step.
	MetaHistory = "arkit.audio.history"
)

// InputLayout names what a step reads: the previous code as a token; as
// features, in a two- or three-tier model, the previous sample's value in
// [-1, 1] (the frame and top tiers' input); then the values of the last History samples, newest
// first (the sample level's); then the class one-hot. It changes whenever
// the inputs change, so that an old model is refused, not fed inputs it
// never saw.
const InputLayout = "prev-code+history+onehot-3"

// ErrNotAudioModel is wrapped by the error Load returns for a model file of
// another domain or without a domain.
var ErrNotAudioModel = errors.New("not an audio model")

// Model is a sample-level model of audio. Like the core networks it holds
// workspaces and is not safe for concurrent use.
type Model struct {
	Net     core.Net // *core.Model (one tier) or *core.Tiered (two or three)
	Rate    int      // sample rate in Hz
	History int      // sample values the sample level reads at each step, newest first
	Labels  []string // the classes it is conditioned on, in one-hot order; nil if none
}

// MaxHistory bounds Model.History.
const MaxHistory = 1024

// levels is the number of mu-law codes every audio model predicts.
const levels = 256

// silence is the code of a zero sample: the input of a recording's first
// step, before any sample exists.
var silence = int32(MuLaw{}.Encode(0))

// values is the number of sample values a step reads: for a two- or
// three-tier model the previous sample's value for the frame (and top) tier, then the last History
// values for the sample level; for a one-tier model the last History
// values. The values spare the sample level from learning what each code's
// embedding means before it can extrapolate a waveform, and hand it the
// recent past that SampleRNN's sample-level module reads.
func (m *Model) values() int {
	if _, ok := m.Net.(*core.Tiered); ok {
		return 1 + m.History
	}
	return m.History
}

// features returns the width of a step's real-valued inputs.
func (m *Model) features() int { return m.values() + len(m.Labels) }

// decoded holds the sample value of every code.
var decoded = func() (v [levels]float32) {
	for c := range v {
		v[c] = MuLaw{}.Decode(c)
	}
	return v
}()

// setInput writes the input of the step that predicts codes[pos]: the
// previous code as the token; as features the values of the previous
// samples (see values; samples before the start are silence), then the
// one-hot of class (none when class < 0). pos may exceed len(codes) (the
// padding after a recording's end, whose inputs do not matter).
func (m *Model) setInput(tok *int32, feat []float32, codes []int32, pos, class int) {
	pos = min(pos, len(codes))
	prev := silence
	if pos > 0 {
		prev = codes[pos-1]
	}
	*tok = prev
	clear(feat)
	v := m.values()
	hist := feat[:v]
	if v > m.History {
		hist[0] = decoded[prev] // the frame tier's input
		hist = hist[1:]
	}
	for i := range hist {
		if pos-1-i < 0 {
			break
		}
		hist[i] = decoded[codes[pos-1-i]]
	}
	if class >= 0 {
		feat[v+class] = 1
	}
}

// frame returns the steps of the slowest tier's step (core.Tiered.Span: a
// frame of two tiers, TopFrame frames of three) and 1 for one tier, so that
// windows can always be a multiple of it.
func (m *Model) frame() int {
	if t, ok := m.Net.(*core.Tiered); ok {
		return t.Span()
	}
	return 1
}

// labelIndex returns the one-hot index of label, or an error if the model
// does not know it. An unconditioned model takes any label and ignores it.
func (m *Model) labelIndex(label string) (int, error) {
	if len(m.Labels) == 0 {
		return -1, nil
	}
	for i, l := range m.Labels {
		if l == label {
			return i, nil
		}
	}
	if label == "" {
		return 0, fmt.Errorf("the model is conditioned on a class (one of %s) and none was given", strings.Join(m.Labels, ", "))
	}
	return 0, fmt.Errorf("class %q unknown to the model (it knows %s)", label, strings.Join(m.Labels, ", "))
}

// check verifies that the network reads and predicts what an audio model
// with these labels reads and predicts.
func (m *Model) check() error {
	tokens, feats := m.Net.Inputs()
	switch {
	case m.Rate < MinRate || m.Rate > MaxModelRate:
		return fmt.Errorf("sample rate %d Hz outside %d to %d", m.Rate, MinRate, MaxModelRate)
	case m.History < 1 || m.History > MaxHistory:
		return fmt.Errorf("history of %d samples outside 1 to %d", m.History, MaxHistory)
	case !tokens:
		return errors.New("the network takes no token; an audio model reads the previous code")
	case feats != m.features():
		return fmt.Errorf("the network reads %d features per step; an audio model with a history of %d and %d classes reads %d",
			feats, m.History, len(m.Labels), m.features())
	case m.Net.Likelihood().Name() != (core.Categorical{}).Name() || m.Net.OutSize() != levels:
		return fmt.Errorf("the network predicts %d values with a %s likelihood; an audio model predicts %d mu-law codes",
			m.Net.OutSize(), m.Net.Likelihood().Name(), levels)
	}
	if t, ok := m.Net.(*core.Tiered); ok && t.Config().FrameInputs != 1 {
		return fmt.Errorf("the frame tier reads %d values per step; an audio model gives it 1", t.Config().FrameInputs)
	}
	if c := vocab(m.Net); c != levels {
		return fmt.Errorf("the network reads %d tokens; an audio model reads %d mu-law codes", c, levels)
	}
	return nil
}

// vocab returns the token vocabulary of the step-level network.
func vocab(n core.Net) int {
	switch n := n.(type) {
	case *core.Model:
		return n.Config().Vocab
	case *core.Tiered:
		return n.Config().Step.Vocab
	}
	return 0
}

// meta returns the metadata that identifies an audio model file.
func (m *Model) meta() map[string]string {
	labels := m.Labels
	if labels == nil {
		labels = []string{}
	}
	js, _ := json.Marshal(labels)
	return map[string]string{
		core.MetaDomain: Domain,
		MetaRate:        strconv.Itoa(m.Rate),
		MetaLevels:      strconv.Itoa(levels),
		MetaLabels:      string(js),
		MetaInputs:      InputLayout,
		MetaHistory:     strconv.Itoa(m.History),
	}
}

// Save writes the model (weights and settings, no training state) to path
// atomically. Train writes its own checkpoints, which also hold the
// training state.
func (m *Model) Save(path string) error {
	if err := m.Net.Save(path, m.meta(), nil); err != nil {
		return fmt.Errorf("audio: saving %s: %w", path, err)
	}
	return nil
}

// String describes the model in one line.
func (m *Model) String() string {
	s := fmt.Sprintf("%s, %d parameters", m.network(), m.Net.Params().Count())
	if len(m.Labels) > 0 {
		s += ", classes " + strings.Join(m.Labels, " ")
	}
	return s
}

// network describes the network, the samples it reads, its rate and
// codes.
func (m *Model) network() string {
	var b strings.Builder
	switch n := m.Net.(type) {
	case *core.Tiered:
		c := n.Config()
		if c.Top > 0 {
			fmt.Fprintf(&b, "three tiers: top LSTM %dx%d every %d frames, conditioning %d; ", max(c.TopLayers, 1), c.TopHidden, c.Top, c.TopCond)
		} else {
			b.WriteString("two tiers: ")
		}
		fmt.Fprintf(&b, "frame LSTM %dx%d every %d samples, conditioning %d; sample LSTM %dx%d (embed %d)",
			max(c.FrameLayers, 1), c.FrameHidden, c.Frame, c.Cond, max(c.Step.Layers, 1), c.Step.Hidden, c.Step.Embed)
		if c.Codes > 1 {
			fmt.Fprintf(&b, " embedding the last %d codes", c.Codes)
		}
	case *core.Model:
		c := n.Config()
		fmt.Fprintf(&b, "one tier: sample LSTM %dx%d (embed %d)", max(c.Layers, 1), c.Hidden, c.Embed)
	}
	fmt.Fprintf(&b, " reading the last %d samples, %d Hz, %d mu-law levels", m.History, m.Rate, levels)
	return b.String()
}

// Load reads an audio model file written by Train or Save. When the file
// holds the parameters of the best validation (a training checkpoint), the
// model uses those, unless the last parameters validated better at the end
// of the run (see core.Checkpoint.UseBest). Errors name the file: a missing
// or malformed file, a model of another domain (wrapping ErrNotAudioModel),
// or settings that do not fit the network.
func Load(path string) (*Model, error) { return core.LoadBest(path, "audio", fromCheckpoint) }

// fromCheckpoint builds the audio model of a loaded model file (its network
// shared with ck).
func fromCheckpoint(ck *core.Checkpoint, path string) (*Model, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("audio: %s: %s", path, fmt.Sprintf(format, args...))
	}
	switch d := ck.Meta[core.MetaDomain]; d {
	case Domain:
	case "":
		return nil, fmt.Errorf("audio: %s: %w (metadata %s is missing)", path, ErrNotAudioModel, core.MetaDomain)
	default:
		return nil, fmt.Errorf("audio: %s: %w: it is a %q model", path, ErrNotAudioModel, d)
	}
	if l := ck.Meta[MetaInputs]; l != InputLayout {
		return nil, bad("input layout %q, this version reads %q", l, InputLayout)
	}
	if l := ck.Meta[MetaLevels]; l != strconv.Itoa(levels) {
		return nil, bad("metadata %s = %q, want %d", MetaLevels, l, levels)
	}
	rate, err := strconv.Atoi(ck.Meta[MetaRate])
	if err != nil {
		return nil, bad("metadata %s = %q is not a sample rate", MetaRate, ck.Meta[MetaRate])
	}
	history, err := strconv.Atoi(ck.Meta[MetaHistory])
	if err != nil {
		return nil, bad("metadata %s = %q is not a number of samples", MetaHistory, ck.Meta[MetaHistory])
	}
	var labels []string
	if err := json.Unmarshal([]byte(ck.Meta[MetaLabels]), &labels); err != nil {
		return nil, bad("metadata %s: %v", MetaLabels, err)
	}
	if len(labels) == 0 {
		labels = nil
	}
	net, ok := ck.Net.(core.Net)
	if !ok {
		return nil, bad("unsupported network %T", ck.Net)
	}
	m := &Model{Net: net, Rate: rate, History: history, Labels: labels}
	if err := m.check(); err != nil {
		return nil, bad("%v", err)
	}
	return m, nil
}
