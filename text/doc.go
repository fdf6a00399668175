// Package text adapts text to arkit's autoregressive models: it turns a
// corpus into int32 token ids for the core engine and turns generated ids
// back into text.
//
// # Tokenizers
//
// A Tokenizer maps a string to ids in [0, Size()) and back. There are three
// kinds:
//
//   - char (NewCharTokenizer): one id per Unicode code point, the vocabulary
//     being the sorted set of code points of the training text, as in
//     char-rnn and nanoGPT. Text with a symbol outside the vocabulary is
//     rejected with an *UnknownSymbolsError naming the symbols; invalid UTF-8
//     is rejected with its byte offset; a binary file is recognised as such.
//   - byte (ByteTokenizer): 256 ids, one per byte; any input is accepted.
//   - bpe (TrainBPE): byte-level byte-pair encoding as in GPT-2. Text is
//     first cut into chunks (a word with its leading space, a run of digits,
//     of punctuation or of whitespace); training then merges the most
//     frequent adjacent pair of ids, again and again, until the vocabulary
//     reaches the requested size. Encoding replays the merges in the order
//     they were learnt.
//
// NewTokenizer builds any of them by kind name. MarshalTokenizer and
// UnmarshalTokenizer turn a tokenizer into a (kind, JSON) pair for a model
// file's metadata and back; the char tokenizer's JSON is simply the array of
// its symbols in id order, the form PyTorch-trained models also carry.
//
// # Generation output
//
// A byte-level id can hold part of a multi-byte character. A Streamer takes
// ids one at a time, writes each character as soon as it is complete, and
// writes only valid UTF-8.
//
// # Corpus and batches
//
// LoadCorpus reads files, directories (recursively, text files only, in
// lexical order) and standard input ("-") into one string, within a size
// limit. Split holds out the last part of the encoded corpus for validation;
// a separate validation file is loaded and encoded the same way.
//
// StreamBatcher serves stateful training with truncated backpropagation
// through time: the corpus is laid out as one contiguous stream per batch
// row, consecutive batches continue each stream, and Next reports the epoch
// boundaries where the model's state must be reset. RandomBatcher serves
// stateless training with windows at random offsets. Both fill caller-owned,
// time-major slices of inputs and targets and allocate nothing per batch.
// # Models
//
// A Model is a core.Model (token embedding, LSTM stack, categorical head)
// with its Tokenizer. Train builds one from a corpus and trains it the way
// char-rnn does: the encoded training text is laid out as Batch parallel
// streams, and each step reads the next window of Seq symbols of every
// stream, carrying the LSTM state from one window to the next (truncated
// backpropagation through time); the state is reset when the streams wrap
// around at an epoch's end. The window of step s is computed from s alone,
// so a run resumed from its checkpoint sees exactly the windows, dropout
// masks and learning rates the uninterrupted run would have seen, and ends
// with the same weights, bit for bit. All training goes through
// core.Harness and core.Trainer: clipping, AdamW, warmup and cosine or
// linear decay (over the step limit, or over the time budget), early
// stopping, cancellation, periodic checkpoints, and settings saved in the
// model file that a resumed run must keep.
//
// Every TrainOptions.ValEvery steps, Train scores the validation text (the
// last tenth of the corpus by default, or a separate text) with the state
// carried through it, read as up to Batch parallel streams for speed, keeps
// the parameters of the best validation, and hands a short generated
// preview to TrainOptions.Preview.
//
//	// The defaults: batch 16, dropout 0.2, cosine decay to 5%, AR 2.
//	opts := text.TrainOptions{TrainOptions: core.TrainOptions{MaxTime: 30 * time.Minute, Out: "model.safetensors"}}
//	m, res, err := text.Train(ctx, corpus, "", opts)
//
// Model.Generate primes the model with a prompt and draws tokens through
// core.Generator with core.Sampler's temperature, top-k, top-p, min-p and
// repetition penalty, several samples at once as one batch; each character
// is written as soon as it is complete, and stop strings end a sample.
// Model.Score returns the mean negative log-likelihood of each symbol after
// the first, from the zero state with the state carried through the whole
// text, in nats and bits per symbol and as perplexity.
//
// # Model files
//
// A model file is core's safetensors file (docs/format.md) with these
// metadata entries:
//
//	arkit.domain     "text"
//	arkit.tokenizer  "char", "byte" or "bpe"
//	arkit.vocab      the tokenizer data of MarshalTokenizer: for char the JSON
//	                 array of the symbols in id order, ["\n"," ","!",...];
//	                 for byte {}; for bpe {"merges":[[a,b],...]}
//	arkit.text.train the training settings as JSON (files written by Train),
//	                 which a resumed run takes over, with the length and a
//	                 hash of the training text it must be given again
//
// A file written by Train is a checkpoint: its tensors hold the last
// parameters, and the tensors named _best.* the parameters of the best
// validation, beside the optimizer state, so that TrainOptions.Resume
// continues the run exactly. Load gives the best parameters. A PyTorch
// model saved with the three metadata entries above (see docs/format.md)
// loads and scores the same way. Load refuses a file of another domain
// with an error wrapping ErrNotTextModel.
//
// Builtin returns a public-domain corpus embedded in the package (the
// start of Newton's Opticks) for examples and quick trials.
package text
