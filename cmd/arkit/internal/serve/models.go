// The models a server answers with: read once at start from their files,
// named by the file's base name, each held as a small pool of copies
// because a model holds workspaces and is not safe for concurrent use.

package serve

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/arkit-go/arkit/audio"
	"github.com/arkit-go/arkit/core"
	"github.com/arkit-go/arkit/pixels"
	"github.com/arkit-go/arkit/text"
)

// Info describes a model to a client: what it makes and the sizes and
// settings a request needs. It is one element of GET /api/models.
type Info struct {
	Name   string `json:"name"`
	Domain string `json:"domain"` // text, pixels or audio

	// text
	Vocabulary int    `json:"vocabulary,omitempty"` // tokens
	Tokenizer  string `json:"tokenizer,omitempty"`  // char, byte or bpe

	// pixels
	Width    int `json:"width,omitempty"`
	Height   int `json:"height,omitempty"`
	Channels int `json:"channels,omitempty"`
	Levels   int `json:"levels,omitempty"`

	// audio
	SampleRate int `json:"sample_rate,omitempty"`

	// pixels and audio: the classes a request may name (empty: none).
	Classes []string `json:"classes,omitempty"`
}

// model is one loaded model: its description and a pool of copies, each
// used by one request at a time.
type model struct {
	info   Info
	copies chan any // *text.Model, *pixels.Model or *audio.Model
}

// acquire takes a copy of the model, waiting for one while ctx lasts.
func (m *model) acquire(ctx context.Context) (any, error) {
	select {
	case c := <-m.copies:
		return c, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (m *model) release(c any) { m.copies <- c }

// ModelName is the name a server gives the model file path: its base name
// without the extension.
func ModelName(path string) string {
	base := filepath.Base(path)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// ModelFiles lists the model files of dir (.safetensors and .arkit files,
// not in sub-folders), sorted.
func ModelFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		ext := filepath.Ext(e.Name())
		if e.Type().IsRegular() && (ext == ".safetensors" || ext == ".arkit") {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(out)
	return out, nil
}

// loadModels reads each file copies times, each copy reading weights of
// precision w. Two files with one name are an error, as is a file of no
// known domain.
func loadModels(paths []string, copies int, w core.Weights) (map[string]*model, error) {
	models := map[string]*model{}
	for _, p := range paths {
		name := ModelName(p)
		if _, dup := models[name]; dup {
			return nil, fmt.Errorf("two model files are named %q; rename one", name)
		}
		m := &model{copies: make(chan any, copies)}
		for range copies {
			c, info, err := loadModel(p, w)
			if err != nil {
				return nil, err
			}
			info.Name = name
			m.info = info
			m.copies <- c
		}
		models[name] = m
	}
	return models, nil
}

// loadModel reads the model file at path with the loader of its domain;
// the model reads weights of precision w.
func loadModel(path string, w core.Weights) (any, Info, error) {
	ts, err := core.ReadTensorsFile(path)
	if err != nil {
		return nil, Info{}, err
	}
	switch d := ts.Meta[core.MetaDomain]; d {
	case text.Domain:
		m, err := text.Load(path)
		if err != nil {
			return nil, Info{}, err
		}
		m.Net.SetWeights(w)
		return m, Info{Domain: d, Vocabulary: m.Tok.Size(), Tokenizer: m.Tok.Kind()}, nil
	case pixels.Domain:
		m, err := pixels.Load(path)
		if err != nil {
			return nil, Info{}, err
		}
		m.Net.SetWeights(w)
		r := m.Raster
		return m, Info{Domain: d, Width: r.W, Height: r.H, Channels: r.C, Levels: r.Levels, Classes: m.ClassNames}, nil
	case audio.Domain:
		m, err := audio.Load(path)
		if err != nil {
			return nil, Info{}, err
		}
		m.Net.SetWeights(w)
		return m, Info{Domain: d, SampleRate: m.Rate, Classes: m.Labels}, nil
	case "":
		return nil, Info{}, fmt.Errorf("%s: not an arkit model (no %s in its metadata)", path, core.MetaDomain)
	default:
		return nil, Info{}, fmt.Errorf("%s: a %q model, which the server cannot serve (text, pixels and audio only)", path, d)
	}
}

// errUnknownModel is returned for a model name the server does not hold.
var errUnknownModel = errors.New("unknown model")
