// Package audio is arkit's adapter for sound: it turns WAV files into the
// integer codes a sample-level autoregressive model consumes, trains such a
// model with core, scores recordings under it, and generates audio from it
// sample by sample into WAV files and plots.
//
// # Data flow
//
// The package covers each step between a recording on disk and the model:
//
//	Read         WAV, FLAC or MP3 file, the format sniffed from its content
//	               (Decode reads from an io.ReadSeeker)
//	ReadWAV      WAV file (PCM 8/16/24/32-bit or IEEE float 32/64-bit, any
//	               rate, any channel count)
//	               -> Clip: mono float32 samples in [-1, 1] at the file's rate
//	               (DecodeWAV reads from an io.ReadSeeker)
//	Resample     Clip at any rate -> Clip at the model's rate (band-limited)
//	MuLaw        samples in [-1, 1] <-> codes 0..Levels-1 (WaveNet companding)
//	WriteWAV     Clip -> 16-bit PCM mono WAV file, written atomically
//	               (EncodeWAV writes to an io.WriteSeeker)
//	PlotClip     Clip -> waveform and spectrogram (PNG, SVG or PDF)
//
// ListAudio collects the audio files of a data set from files and folders, and
// ParseFSDDName reads the label and split from a Free Spoken Digit Dataset
// file name. LoadDataset does all of it at once: files to a Dataset of code
// sequences at the model's rate, optionally one FSDD split, optionally
// labelled with the digit; NewDataset does the same for clips in memory,
// such as the synthetic tones, chirps and notes of Tones. NGram is a count
// model over codes whose bits per sample is the baseline a learned model has
// to beat.
//
// # Reading WAV files
//
// The reader checks the whole RIFF header before it decodes anything: the
// RIFF/WAVE magic, the fmt chunk, the sample format, bit depth, channel count,
// sample rate, block alignment and the size of the data chunk against both
// the real length of the file and ReadOptions.MaxDuration. A hostile or
// damaged header therefore yields an error, never a panic or a huge
// allocation. Integer samples are normalised by their container size, so
// full scale maps to [-1, 1) for every bit depth (8-bit WAV is unsigned
// around 128); IEEE float samples (32 or 64 bits, in a plain or a
// WAVE_FORMAT_EXTENSIBLE header) are clamped to [-1, 1], and a NaN or
// infinite one is refused. Channels are averaged into one.
//
// The reader is our own, not go-audio/wav's (whose encoder WriteWAV still
// uses), because that one failed on the files people have: it reads IEEE
// float files as integers without an error, turning them into noise; it
// trusts the sizes in the header, so a 36-byte file declaring a 4 GiB data
// chunk makes it allocate 4 GiB; and it returns a truncated data chunk as
// samples instead of saying the file is cut short.
//
// Formats the reader does not decode (A-law, mu-law, ADPCM, MP3,
// WAVE_FORMAT_EXTENSIBLE with such a subformat, RF64, big-endian RIFX) are
// refused with an error that names the format. Errors wrap the sentinels
// ErrNotWAV, ErrUnsupportedFormat, ErrMalformed, ErrTruncated, ErrEmpty and
// ErrTooLong, so callers can branch with errors.Is.
//
// # Reading MP3 files
//
// MP3 is decoded by github.com/hajimehoshi/go-mp3 (MPEG-1 and MPEG-2 layer
// III). A decoded MP3 is longer than the recording it was made from: the
// encoder's delay and padding surround it, and the decoder adds a delay of
// its own, 529 samples (measured: a LAME-encoded clip lines up with the
// original at lag 0 once these are trimmed). When the first frame is a
// Xing/Info frame with a LAME tag (LAME and ffmpeg write one), the reader
// drops the frame's own samples, the encoder delay and the decoder delay from
// the start and the padding from the end, so the clip has the recording's
// length and timing; an MP3 of a clip then scores within 0.05 bits per
// sample of its 16-bit WAV (TestEvalFormatsAgree). Without a LAME tag only
// the tag frame (if any) and the decoder's 529 samples are dropped: the
// encoder's delay (576 samples with LAME, unknown in general) stays at the
// start, and the padding at the end. MPEG-2.5 (8, 11.025 and 12 kHz) and
// layers I and II are refused with ErrUnsupportedFormat: go-mp3 v0.3.4
// rejects MPEG-2.5 outright (and reads its rates as twice the real ones), and
// decodes layer III only.
//
// # Mu-law codes
//
// MuLaw uses the continuous companding curve of WaveNet,
//
//	f(x) = sign(x) ln(1 + mu|x|) / ln(1 + mu),   mu = Levels - 1,
//
// followed by uniform quantisation of f(x) in [-1, 1] to Levels codes. It is
// not the G.711 telephone codec (which is piecewise linear and 8-bit only).
// The zero value MuLaw{} has 256 levels.
//
// # Baseline
//
// NGram counts unigrams, bigrams or trigrams of codes and reports the
// cross-entropy of held-out codes in bits per sample, the unit in which
// sample-level models are compared. On the Free Spoken Digit Dataset (8 kHz,
// 256 mu-law levels, official split) additive smoothing with Alpha 0.1 gives
// 7.18, 5.45 and 5.14 bits for orders 1 to 3; the default, modified
// Kneser-Ney, gives 7.18, 5.45 and 5.03. TestFSDDBaseline measures them on
// the shared data folder (../shared/data beside the repository, or the folder
// that the environment variable ARKIT_DATA names).
//
// # Model
//
// A Model predicts each mu-law code from all the codes before it, as
// SampleRNN and WaveRNN do: one step per sample, each code drawn from a
// categorical distribution over the 256 codes. It has two tiers, SampleRNN's
// idea, built on core.Tiered: a frame-level LSTM runs once every Frame
// samples (16 by default) over the values of the last Frame samples and
// gives every position of the next frame a conditioning vector; a
// sample-level LSTM reads, at each step, the previous code (embedded), the
// values of the last History samples (16 by default, newest first), that
// conditioning and, in a class-conditioned model, the recording's label as a
// one-hot vector, and its head gives the distribution of the next code. The
// frame tier carries the slow structure (pitch, formants, loudness) at a
// sixteenth of the cost of running it every sample; the sample level does
// the fine prediction. TrainOptions.Tiers = 1 drops the frame tier;
// TrainOptions.Tiers = 3 adds SampleRNN's third, slowest tier (`arkit audio
// train --tiers 3`): a top LSTM runs once every TopFrame frames (8 by
// default: 128 samples) over the values of the last TopFrame frames and gives
// each frame of the next top step TopCond conditioning values, which the
// frame tier reads beside its frame's values. The inputs of a step are the
// same for two and three tiers. The first step of a recording reads silence. TrainOptions.Codes = K > 1 (`arkit
// audio train --embed-codes K`) has the sample level also read the
// embeddings of the K-1 codes before the previous one, SampleRNN's learned
// embeddings of the previous samples, through the same embedding table.
//
// # Training
//
// Train cuts random windows of Window samples (whole frames) out of the
// training recordings, a recording chosen in proportion to its length and the
// offset uniformly, Batch windows per step, and hands them to core.Harness,
// which runs core.Trainer, writes the checkpoints and resumes. Each window
// starts from the zero state (as SampleRNN and DeepAR train): its first
// inputs still read the samples before it, but the LSTM states and the frame
// tier's memory start empty, as at the start of a recording. The windows of a
// step depend on the step number and the seed only, so a run resumed from
// its checkpoint (TrainOptions.Resume) continues exactly. The head's bias
// starts at the log frequency of each code, so training starts from the
// unigram model. The model is class-conditioned when every training
// recording has a class, unconditioned when none has (or with
// TrainOptions.Unconditional). Validation scores held-out recordings as
// Evaluate does; the model file keeps the parameters of the best validation,
// and the last ones with the optimizer's state for resuming.
//
// # Evaluation and generation
//
// Evaluate scores every code of every recording given all the codes before
// it, from the zero state, carrying the state through the whole recording
// (core Forward over consecutive windows), and reports bits and nats per
// sample. Generate drives core.Generator: it can prime the state with a
// recording (resampled to the model's rate; it heads the output), draws
// several clips side by side, and for a class-conditioned model asks for a
// class. Generation is inherently sequential, one step per sample.
//
// A step of a two-tier model (core.Tiered.Next) computes the sample level's
// product with the frame tier's conditioning once per frame, for every
// position of the frame and every clip in one matrix product; the previous
// code's embedding product comes from a table filled as codes appear; the
// past values and the recurrent state go through the weights in one pass,
// shared by all clips drawn together (a matrix-vector product for one clip,
// a matrix product for several). The loop over samples allocates nothing.
// What remains is memory traffic: with the default network one clip reads
// about 1.3 MB of sample-level weights per sample and the frame tier's
// 6.3 MB once per frame (with three tiers, the top tier's weights once
// per TopFrame frames), so that one core draws about 23,000 samples per
// second (1.44 times real time at 16 kHz, measured under load); see
// docs/benchmarks.md.
//
// # Results on the Free Spoken Digit Dataset
//
// One hour of training on the training split (takes 5-49: 2700 files, of
// which every 20th is held out and the first 150,000 samples of those
// validate), class-conditioned on the digit, with the default network (2.1
// million parameters):
//
//	arkit audio train --wav fsdd/recordings --fsdd-split train \
//	    --out fsdd.safetensors --max-time 60m --lr 8e-3 --warmup 100 \
//	    --decay cosine --final-lr 0.03 --batch 16 --window 512 \
//	    --val-every 250 --val-samples 150000
//	arkit audio eval --model fsdd.safetensors --wav fsdd/recordings --fsdd-split test --json
//
// ran 5892 steps (48 million samples, 5.4 passes) and scores the 300 test
// recordings (1,034,030 samples) at 3.91 bits per sample, against 7.18,
// 5.45 and 5.14 for the unigram, bigram and trigram count models (add-0.1
// smoothing; 5.03 with modified Kneser-Ney); validation reached 3.69. The
// digit is worth at most log2(10) bits per recording to a model that knows
// it, under 0.001 bits per sample here, so the figure compares fairly with
// the unconditioned count models. Measured on 2026-11-29 on 2 cores shared
// with other training runs (load average 6 to 10 for most of the hour),
// while the matrix kernels were being rewritten: 8,000 to 13,000 samples per
// second. docs/audio/sample.wav is three seconds of "7" drawn with
// `arkit audio generate --model fsdd.safetensors --class 7 --seconds 3
// --seed 1` (not chosen among several), and docs/audio/sample.png its
// waveform and spectrogram: syllable-like voiced stretches with pitch
// harmonics, fricative noise and pauses, not intelligible words. That
// generation ran 1.3 times faster than real time for one clip, and 2.7
// and 4.0 times for 8 and 32 clips drawn together (load average about 2).
package audio
