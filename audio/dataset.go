// Data set listing: audio files (WAV, FLAC, MP3) gathered from files and
// folders, and the file names of the Free Spoken Digit Dataset (label and
// official split).

package audio

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/arkit-go/arkit/internal/fileio"
)

// ErrNoWAV means that a listing found no audio file.
var ErrNoWAV = errors.New("no WAV, FLAC or MP3 files")

// audioExtensions are the file name extensions that ListAudio takes without
// looking inside; a damaged file with one of them fails when it is read,
// naming the file, rather than being skipped.
var audioExtensions = []string{".wav", ".wave", ".flac", ".mp3"}

// ListAudio returns the audio files named by paths: a path to a file is
// taken as it is, a path to a folder contributes every audio file below it,
// at any depth. A file in a folder counts as audio if its extension is .wav,
// .wave, .flac or .mp3 in any case, or else if its first bytes are those of
// a WAV, FLAC or MP3 file (see Decode), so that files named without or with
// an unusual extension are found too. Other files are skipped, and skipped
// is called for each (it may be nil). The result is sorted and without
// duplicates, so a listing is deterministic.
//
// ListAudio returns an error if a path cannot be read, and one wrapping
// ErrNoWAV if no audio file is left.
func ListAudio(paths []string, skipped func(path string)) ([]string, error) {
	var files []string
	add := func(path string) {
		if isAudioFile(path) {
			files = append(files, filepath.Clean(path))
		} else if skipped != nil {
			skipped(path)
		}
	}
	for _, root := range paths {
		if root == fileio.Stdin { // one recording on standard input
			files = append(files, root)
			continue
		}
		info, err := os.Stat(root)
		if err != nil {
			return nil, fmt.Errorf("audio: %w", err)
		}
		if !info.IsDir() {
			add(root)
			continue
		}
		err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() {
				add(path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("audio: %w", err)
		}
	}
	slices.Sort(files)
	files = slices.Compact(files)
	if len(files) == 0 {
		return nil, fmt.Errorf("audio: %w in %s", ErrNoWAV, strings.Join(paths, ", "))
	}
	return files, nil
}

// ListWAV is the former name of ListAudio.
//
// Deprecated: use ListAudio, which lists FLAC and MP3 files as well.
func ListWAV(paths []string, skipped func(path string)) ([]string, error) {
	return ListAudio(paths, skipped)
}

// isAudioFile reports whether path has an audio extension or starts like
// an audio file.
func isAudioFile(path string) bool {
	ext := filepath.Ext(path)
	for _, e := range audioExtensions {
		if strings.EqualFold(ext, e) {
			return true
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	var head [12]byte
	n, _ := io.ReadFull(f, head[:])
	return sniff(head[:n]) != ""
}

// FSDDName is what the name of a Free Spoken Digit Dataset recording,
// {digit}_{speaker}_{index}.wav, says about it.
type FSDDName struct {
	Digit   int    // the spoken digit, 0 to 9: the label
	Speaker string // the speaker's name
	Index   int    // the take, 0 to 49 in the published set
}

// Test reports whether the recording belongs to the official test split:
// takes 0 to 4 are test, the rest are training.
func (n FSDDName) Test() bool { return n.Index <= 4 }

// ParseFSDDName parses the base name of path as {digit}_{speaker}_{index}.wav
// (the extension in any case, and .wave, .flac or .mp3 as well as .wav). The speaker is the text between the first and
// last underscores; it may not be empty.
func ParseFSDDName(path string) (FSDDName, error) {
	base := filepath.Base(path)
	bad := func(why string) (FSDDName, error) {
		return FSDDName{}, fmt.Errorf("audio: %s: not an FSDD name {digit}_{speaker}_{index}.wav: %s", path, why)
	}
	ext := filepath.Ext(base)
	if !slices.ContainsFunc(audioExtensions, func(e string) bool { return strings.EqualFold(ext, e) }) {
		return bad("the extension is not .wav, .wave, .flac or .mp3")
	}
	stem := strings.TrimSuffix(base, ext)
	first, last := strings.IndexByte(stem, '_'), strings.LastIndexByte(stem, '_')
	if first < 0 || first == last {
		return bad("want three fields separated by underscores")
	}
	digit, speaker, index := stem[:first], stem[first+1:last], stem[last+1:]
	if len(digit) != 1 || digit[0] < '0' || digit[0] > '9' {
		return bad(fmt.Sprintf("digit %q is not 0 to 9", digit))
	}
	if speaker == "" {
		return bad("the speaker is empty")
	}
	n, err := strconv.Atoi(index)
	if err != nil || n < 0 || index[0] == '+' || index[0] == '-' {
		return bad(fmt.Sprintf("index %q is not a non-negative integer", index))
	}
	return FSDDName{Digit: int(digit[0] - '0'), Speaker: speaker, Index: n}, nil
}

// SplitFSDD divides FSDD recordings into the official training and test
// splits, keeping the order of files. It returns an error if a name does not
// parse.
func SplitFSDD(files []string) (train, test []string, err error) {
	for _, f := range files {
		name, err := ParseFSDDName(f)
		if err != nil {
			return nil, nil, err
		}
		if name.Test() {
			test = append(test, f)
		} else {
			train = append(train, f)
		}
	}
	return train, test, nil
}
