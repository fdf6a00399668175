// Training and evaluation data: recordings as mu-law code sequences at the
// model's sample rate, each with an optional label (an FSDD digit, a kind of
// synthetic sound) that a conditioned model reads as a one-hot vector.

package audio

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// Limits of the model's sample rate. Any WAV file the reader accepts can be
// resampled to a rate in this range.
const (
	DefaultRate  = 8000
	MinRate      = 1000
	MaxModelRate = 96000
)

// Sequence is one recording as codes.
type Sequence struct {
	Path  string  // the file it came from ("" for an in-memory clip)
	Label string  // its class ("" when unlabelled)
	Codes []int32 // mu-law codes at the data set's rate
}

// Dataset is a set of recordings as mu-law codes at one rate.
type Dataset struct {
	Rate   int
	Levels int // mu-law levels of the codes
	Seqs   []Sequence
}

// Samples returns the number of codes in the data set.
func (d *Dataset) Samples() int {
	n := 0
	for _, s := range d.Seqs {
		n += len(s.Codes)
	}
	return n
}

// Labels returns the distinct labels of the sequences, sorted ("" is not a
// label).
func (d *Dataset) Labels() []string {
	var out []string
	for _, s := range d.Seqs {
		if s.Label != "" {
			out = append(out, s.Label)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// CheckRate returns an error unless rate is a model rate, MinRate to
// MaxModelRate Hz. Check rates that come from users with it before calling
// the resampler, which panics on rates it cannot convert.
func CheckRate(rate int) error {
	if rate < MinRate || rate > MaxModelRate {
		return fmt.Errorf("audio: sample rate %d Hz outside %d to %d", rate, MinRate, MaxModelRate)
	}
	return nil
}

// NewDataset turns clips into codes at rate with 256-level mu-law, resampling
// those at another rate. labels is nil (no labels) or holds one label per
// clip. It returns an error for a rate outside MinRate..MaxModelRate, a clip
// whose rate the reader would refuse, an empty clip, or a label count that
// differs from the clip count.
func NewDataset(clips []*Clip, labels []string, rate int) (*Dataset, error) {
	if err := CheckRate(rate); err != nil {
		return nil, err
	}
	if labels != nil && len(labels) != len(clips) {
		return nil, fmt.Errorf("audio: %d labels for %d clips", len(labels), len(clips))
	}
	d := &Dataset{Rate: rate, Levels: MuLaw{}.NumLevels()}
	for i, c := range clips {
		seq, err := encodeClip(c, rate)
		if err != nil {
			return nil, fmt.Errorf("audio: clip %d: %w", i, err)
		}
		s := Sequence{Codes: seq}
		if labels != nil {
			s.Label = labels[i]
		}
		d.Seqs = append(d.Seqs, s)
	}
	return d, nil
}

// encodeClip resamples a clip to rate and returns its mu-law codes.
func encodeClip(c *Clip, rate int) ([]int32, error) {
	switch {
	case c == nil || len(c.Samples) == 0:
		return nil, fmt.Errorf("%w: the clip has no samples", ErrEmpty)
	case c.Rate < 1 || c.Rate > MaxRate:
		return nil, fmt.Errorf("sample rate %d Hz outside 1 to %d", c.Rate, MaxRate)
	}
	x := c.Samples
	if c.Rate != rate {
		x = NewResampler(c.Rate, rate).Resample(x)
	}
	codes := make([]int32, len(x))
	MuLaw{}.EncodeAll(codes, x)
	return codes, nil
}

// FSDD splits for LoadOptions.Split.
const (
	SplitAll   = "all"
	SplitTrain = "train" // FSDD takes 5 to 49
	SplitTest  = "test"  // FSDD takes 0 to 4
)

// LoadOptions configures LoadDataset. The zero value reads every file at
// DefaultRate without labels.
type LoadOptions struct {
	Rate int // the model's rate; 0 means DefaultRate

	// MaxDuration bounds each file (see ReadOptions); zero means
	// DefaultMaxDuration.
	MaxDuration time.Duration

	// Split keeps the files of one FSDD split, chosen by the take in the
	// file name: SplitTrain, SplitTest, or SplitAll / "" for every file.
	Split string
	// FSDDLabels labels each file whose name is an FSDD name with its
	// digit; files with other names have no class.
	FSDDLabels bool

	// Skipped is called for each file that is not an audio file (may be nil).
	Skipped func(path string)
}

// ErrNoAudio is wrapped by LoadDataset's error when no recording is left.
var ErrNoAudio = errors.New("no recordings")

// LoadDataset reads the WAV, FLAC and MP3 files named by paths (files, or
// folders read recursively, as ListAudio) into codes at opts.Rate. Errors
// name the file: an unreadable or refused audio file (see Read), an FSDD name that does not
// parse when opts.Split needs it, or no file left.
func LoadDataset(paths []string, opts LoadOptions) (*Dataset, error) {
	rate := opts.Rate
	if rate == 0 {
		rate = DefaultRate
	}
	if err := CheckRate(rate); err != nil {
		return nil, err
	}
	split := opts.Split
	if split != "" && split != SplitAll && split != SplitTrain && split != SplitTest {
		return nil, fmt.Errorf("audio: unknown split %q (want %s, %s or %s)", split, SplitTrain, SplitTest, SplitAll)
	}
	files, err := ListAudio(paths, opts.Skipped)
	if err != nil {
		return nil, err
	}
	d := &Dataset{Rate: rate, Levels: MuLaw{}.NumLevels()}
	resamplers := map[int]*Resampler{}
	for _, f := range files {
		var label string
		byTake := split == SplitTrain || split == SplitTest
		if opts.FSDDLabels || byTake {
			name, err := ParseFSDDName(f)
			switch {
			case err != nil && byTake:
				return nil, err
			case err != nil: // another name: no class
			case (split == SplitTrain && name.Test()) || (split == SplitTest && !name.Test()):
				continue
			case opts.FSDDLabels:
				label = strconv.Itoa(name.Digit)
			}
		}
		clip, err := Read(f, ReadOptions{MaxDuration: opts.MaxDuration})
		if err != nil {
			return nil, err
		}
		x := clip.Samples
		if clip.Rate != rate {
			r := resamplers[clip.Rate]
			if r == nil {
				r = NewResampler(clip.Rate, rate)
				resamplers[clip.Rate] = r
			}
			x = r.Resample(x)
		}
		codes := make([]int32, len(x))
		MuLaw{}.EncodeAll(codes, x)
		d.Seqs = append(d.Seqs, Sequence{Path: f, Label: label, Codes: codes})
	}
	if len(d.Seqs) == 0 {
		return nil, fmt.Errorf("audio: %w in the %s split of %d audio files", ErrNoAudio, split, len(files))
	}
	return d, nil
}
