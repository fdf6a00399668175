// The text model: a core.Model whose vocabulary is a Tokenizer's ids, and its
// file. The tokenizer travels in the model file's metadata, so one file is
// all that generation and scoring need; a file saved by PyTorch with the
// same metadata loads the same way.

package text

import (
	"errors"
	"fmt"

	"github.com/arkit-go/arkit/core"
)

// Metadata keys of a text model file, beside core's (see docs/format.md).
const (
	// Domain is the value of core.MetaDomain in a text model file.
	Domain = "text"
	// MetaTokenizer holds the tokenizer kind: "char", "byte" or "bpe".
	MetaTokenizer = "arkit.tokenizer"
	// MetaVocab holds the tokenizer data that MarshalTokenizer returns:
	// for char the JSON array of the symbols in id order, for byte "{}",
	// for bpe {"merges":[[a,b],...]}.
	MetaVocab = "arkit.vocab"
)

// ErrNotTextModel is wrapped by the error Load returns for a model file of
// another domain.
var ErrNotTextModel = errors.New("not a text model")

// Model is a trained text model: the network and its tokenizer.
// Like core.Model it holds workspaces and is not safe for concurrent use.
type Model struct {
	Net *core.Model
	Tok Tokenizer
}

// newTextModel checks that net and tok fit together: the network reads and
// predicts exactly the tokenizer's ids.
func newTextModel(net *core.Model, tok Tokenizer) (*Model, error) {
	tokens, feats := net.Inputs()
	cfg := net.Config()
	switch {
	case !tokens || feats != 0:
		return nil, fmt.Errorf("model takes %d real-valued features; a text model takes tokens only", feats)
	case net.Likelihood().Name() != (core.Categorical{}).Name():
		return nil, fmt.Errorf("model predicts with a %s likelihood; a text model is categorical", net.Likelihood().Name())
	case cfg.Vocab != tok.Size() || net.OutSize() != tok.Size():
		return nil, fmt.Errorf("model has %d input and %d output tokens but its %s tokenizer has %d",
			cfg.Vocab, net.OutSize(), tok.Kind(), tok.Size())
	}
	return &Model{Net: net, Tok: tok}, nil
}

// meta returns the metadata that identifies a text model file.
func (m *Model) meta() map[string]string {
	kind, data := MarshalTokenizer(m.Tok)
	return map[string]string{core.MetaDomain: Domain, MetaTokenizer: kind, MetaVocab: data}
}

// Save writes the model (weights, tokenizer, no training state) to path
// atomically. Train writes its own checkpoints, which also hold the
// training state.
func (m *Model) Save(path string) error {
	if err := m.Net.Save(path, m.meta(), nil); err != nil {
		return fmt.Errorf("text: saving %s: %w", path, err)
	}
	return nil
}

// Load reads a text model file written by Train, Save or PyTorch (see
// docs/format.md). When the file holds the parameters of the best
// validation (a training checkpoint), the model uses those, unless the
// last parameters validated better at the end of the run (see
// core.Checkpoint.UseBest). Errors name the file: a missing or malformed
// file, a model of another domain (wrapping ErrNotTextModel), a missing or
// invalid tokenizer, or a tokenizer whose size disagrees with the network.
func Load(path string) (*Model, error) { return core.LoadBest(path, "text", fromCheckpoint) }

// fromCheckpoint builds the text model of a loaded model file (its network
// shared with ck).
func fromCheckpoint(ck *core.Checkpoint, path string) (*Model, error) {
	switch d := ck.Meta[core.MetaDomain]; d {
	case Domain:
	case "":
		return nil, fmt.Errorf("text: %s: %w (metadata %s is missing)", path, ErrNotTextModel, core.MetaDomain)
	default:
		return nil, fmt.Errorf("text: %s: %w: it is a %q model", path, ErrNotTextModel, d)
	}
	if ck.Model == nil {
		return nil, fmt.Errorf("text: %s: %w: its network is not a single LSTM model", path, ErrNotTextModel)
	}
	kind, ok := ck.Meta[MetaTokenizer]
	if !ok {
		return nil, fmt.Errorf("text: %s: metadata %s is missing", path, MetaTokenizer)
	}
	tok, err := UnmarshalTokenizer(kind, ck.Meta[MetaVocab])
	if err != nil {
		return nil, fmt.Errorf("text: %s: metadata %s: %w", path, MetaVocab, err)
	}
	m, err := newTextModel(ck.Model, tok)
	if err != nil {
		return nil, fmt.Errorf("text: %s: %w", path, err)
	}
	return m, nil
}
