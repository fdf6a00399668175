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
package text
