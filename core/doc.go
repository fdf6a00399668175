// Package core is arkit's engine: one autoregressive step, an LSTM backbone
// trained by backpropagation through time, an optimizer, a trainer, a
// sampler, a batched generation loop and the model file format. It knows
// nothing of text, images, sound or CSV; the domain packages turn their data
// into what core consumes and back.
//
// # Model
//
// A [Model] reads, at each step, a token (through an embedding), a vector of
// real-valued features (raw or through a dense projection), or both
// concatenated; runs a stack of LSTM layers with PyTorch's nn.LSTM
// semantics; and maps the top hidden state through a linear head to the
// parameters of a [Likelihood]: [Categorical] logits for tokens,
// [Gaussian] or [StudentT] for real values.
//
//	m := core.NewModel(core.Config{Vocab: 65, Embed: 64, Hidden: 256, Layers: 2}, rng)
//
// # Training
//
// A domain implements [Data]: Batch(step, b) fills a time-major [Batch] (T
// steps × B sequences of inputs, targets and an optional mask) for a given
// step number. A [Trainer] runs truncated BPTT over those windows, carrying
// the LSTM state between consecutive windows unless Batch reports fresh
// sequences, with Adam/AdamW, clipping, a [Schedule], validation, early
// stopping, a time budget, context cancellation and checkpoints.
//
//	tr := &core.Trainer{Model: m, Optimizer: &core.Adam{LR: 2e-3}, T: 64, B: 32, Steps: 1000, Clip: 5}
//	res, err := tr.Run(ctx, data)
//
// The domain adapters train through a [Harness] rather than a bare Trainer:
// their options embed [TrainOptions], the settings every domain shares
// (learning rate and its schedule over steps or a time budget, clipping,
// validation, stopping, the model file), and the harness fills their
// defaults, checks them, saves them in the model file with a fingerprint of
// the training data, refuses to replace a model file without Resume or
// Force, and on Resume adopts the saved settings and refuses different
// ones or other data. Each adapter supplies only its [Data], its network
// and its validation ([Job]).
//
// For evaluation, call [Model.Forward] with a nil rng over consecutive
// windows, carrying the [State]: it returns the summed negative
// log-likelihood and the summed mask weight.
//
// # Generation
//
// [Model] implements [Step]. A [Generator] drives any Step for a batch of
// sequences at once: Prime feeds a context without drawing, Run draws one
// element per sequence per step, through the [Sampler] (temperature, top-k,
// top-p, min-p, repetition penalty) for categorical likelihoods or the
// likelihood's own Draw for continuous ones. A domain implements [Feeder]
// to supply each step's input (for instance the last draw and its
// position features) and to collect the draws.
//
// # Files
//
// [Model.Save] writes one safetensors file whose tensors carry PyTorch's
// state_dict names (embedding.weight, input.weight, lstm.weight_ih_l0, ...,
// head.bias), domain metadata under "arkit." keys and, during training, the
// optimizer state, so that [LoadModel] and [Checkpoint.Resume] continue a
// run exactly. Files are written atomically ([WriteFileAtomic]). The
// format is documented in docs/format.md.
//
// # Speed
//
// All dense arithmetic runs in float32 through the internal kernel package:
// the input projection of a whole window is one matrix multiply, the weight
// gradients one multiply each after the time loop, batch-1 generation uses
// matrix-vector products, and training and generation steps reuse their
// workspaces instead of allocating.
package core
