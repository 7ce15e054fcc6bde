"""Recurrent layers (循环神经网络): ``nn.RNN``, ``nn.LSTM``, ``nn.GRU`` and their one-step cells.

A recurrent layer reads a sequence one step at a time and carries a hidden state ``h`` from step
to step: ``h_t = cell(x_t, h_{t-1})``.  The cells below are written with ordinary differentiable
learntorch operations (``F.linear``, ``tanh``, ``sigmoid``, ``stack``, ``cat`` ...), so autograd
comes for free, and in the same order as PyTorch's CPU code (so float32 results agree to rounding):

* the input projections ``x_t W_ih^T + b_ih`` of all steps are computed at once, before the loop;
* ``num_layers`` layers are stacked, each reading the outputs of the one below; with
  ``bidirectional=True`` a second pass reads the sequence backwards and the two outputs are
  concatenated along the features; ``dropout`` (training only) is applied between layers, drawing
  its mask exactly as PyTorch does (so ``manual_seed`` gives the same masks);
* a ``PackedSequence`` (sequences of different lengths, ``nn.utils.rnn``) runs the same loop with a
  batch that shrinks as the shorter sequences end; each sequence's last hidden state is kept.

Parameters, their names, shapes, order and initial values (every one ~ U(-1/sqrt(hidden_size),
1/sqrt(hidden_size)), drawn in registration order) are PyTorch's.
"""
import math
import warnings

from ... import _creation, _errors
from ...ops.shape import cat, stack
from ...ops.elementwise import sigmoid, tanh
from ..parameter import Parameter
from .. import functional as F, init
from .module import Module
from ..utils.rnn import PackedSequence

__all__ = ["RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]


# --- one step of each cell ---------------------------------------------------------------------
# ``gi`` is the input projection x W_ih^T + b_ih of this step (computed beforehand);
# ``state`` is a tuple: (h,) for RNN and GRU, (h, c) for LSTM; ``p`` = (w_hh, b_hh, w_hr).

def _rnn_tanh_step(gi, state, p):
    """h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh)."""
    return (tanh(F.linear(state[0], p[0], p[1]) + gi),)


def _rnn_relu_step(gi, state, p):
    """h' = relu(x W_ih^T + b_ih + h W_hh^T + b_hh)."""
    return (F.relu(F.linear(state[0], p[0], p[1]) + gi),)


def _lstm_step(gi, state, p):
    """The LSTM (长短期记忆) gates, from  x W_ih^T + b_ih + h W_hh^T + b_hh  split in four:
        i = sigmoid(.)  input gate      f = sigmoid(.)  forget gate
        g = tanh(.)     cell candidate  o = sigmoid(.)  output gate
        c' = f * c + i * g              h' = o * tanh(c')   (then h' W_hr^T when proj_size > 0)
    """
    h, c = state
    gates = F.linear(h, p[0], p[1]) + gi
    i, f, g, o = gates.chunk(4, 1)
    c = sigmoid(f) * c + sigmoid(i) * tanh(g)
    h = sigmoid(o) * tanh(c)
    if p[2] is not None:
        h = h.matmul(p[2].t())
    return h, c


def _gru_step(gi, state, p):
    """The GRU (门控循环单元) gates, with  gi = x W_ih^T + b_ih  and  gh = h W_hh^T + b_hh  split in three:
        r = sigmoid(gi_r + gh_r)  reset gate      z = sigmoid(gi_z + gh_z)  update gate
        n = tanh(gi_n + r * gh_n) new state       h' = (1 - z) * n + z * h = (h - n) * z + n
    """
    h = state[0]
    ir, iz, in_ = gi.chunk(3, 1)
    hr, hz, hn = F.linear(h, p[0], p[1]).chunk(3, 1)
    r = sigmoid(hr + ir)
    z = sigmoid(hz + iz)
    n = tanh(in_ + hn * r)
    return ((h - n) * z + n,)


_STEPS = {"RNN_TANH": _rnn_tanh_step, "RNN_RELU": _rnn_relu_step, "LSTM": _lstm_step, "GRU": _gru_step}


def _run(step, gis, state, p, sizes, reverse):
    """Run one direction of one layer over the steps ``gis`` (one tensor per time step, with
    ``sizes[t]`` rows).  Returns the step outputs and the final state of every sequence.

    A batch that shrinks (packed sequences, sorted longest first) puts aside the states of the
    sequences that have ended; the backward pass starts with the short batch and lets the longer
    sequences join (with their initial states) as it walks back."""
    outs = []
    if not reverse:
        ended, last = [], sizes[0]
        for gi, n in zip(gis, sizes):
            if n < last:
                ended.append(tuple(s[n:last] for s in state))
                state = tuple(s[:n] for s in state)
            last = n
            state = step(gi, state, p)
            outs.append(state[0])
        if ended:
            ended.append(state)
            state = tuple(cat([e[k] for e in reversed(ended)], 0) for k in range(len(state)))
        return outs, state
    first = state
    last = sizes[-1]
    if last < first[0].shape[0]:
        state = tuple(s[:last] for s in first)
    for gi, n in zip(reversed(gis), reversed(sizes)):
        if n > last:
            state = tuple(cat([s, s0[last:n]], 0) for s, s0 in zip(state, first))
        last = n
        state = step(gi, state, p)
        outs.append(state[0])
    outs.reverse()
    return outs, state


class RNNBase(Module):
    """What RNN, LSTM and GRU share: the parameters (``weight_ih_l{k}``, ``weight_hh_l{k}``,
    ``bias_ih_l{k}``, ``bias_hh_l{k}``, ``weight_hr_l{k}`` for an LSTM with ``proj_size``, and the
    same with ``_reverse`` for the backward direction), the argument checks and the layer loop."""

    def __init__(self, mode, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, proj_size=0, device=None, dtype=None):
        super().__init__()
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        if not isinstance(dropout, (int, float)) or isinstance(dropout, bool) or not 0 <= dropout <= 1:
            _errors.fail("rnn_dropout")
        if dropout > 0 and num_layers == 1:
            warnings.warn(_errors.msg("rnn_dropout_one_layer", p=dropout, n=num_layers), stacklevel=2)
        for name, value, kind in (("bias", bias, bool), ("batch_first", batch_first, bool),
                                  ("input_size", input_size, int), ("hidden_size", hidden_size, int)):
            if not isinstance(value, kind):
                _errors.fail("rnn_arg_type", name=name, kind=kind.__name__, got=type(value).__name__)
            if kind is int and value <= 0:
                _errors.fail("rnn_positive", name=name)
        if num_layers <= 0:
            _errors.fail("rnn_positive", name="num_layers")
        if proj_size < 0:
            _errors.fail("rnn_proj_negative")
        if proj_size >= hidden_size:
            _errors.fail("rnn_proj_size")
        gate_size = {"LSTM": 4, "GRU": 3, "RNN_TANH": 1, "RNN_RELU": 1}[mode] * hidden_size
        directions = 2 if bidirectional else 1
        real_hidden = proj_size if proj_size > 0 else hidden_size
        self._flat_weights_names, self._all_weights = [], []
        for layer in range(num_layers):
            for direction in range(directions):
                layer_input = input_size if layer == 0 else real_hidden * directions
                shapes = {"weight_ih": (gate_size, layer_input), "weight_hh": (gate_size, real_hidden)}
                if bias:
                    shapes.update(bias_ih=(gate_size,), bias_hh=(gate_size,))
                if proj_size > 0:
                    shapes["weight_hr"] = (proj_size, hidden_size)
                names = []
                for kind, shape in shapes.items():
                    name = f"{kind}_l{layer}{'_reverse' if direction == 1 else ''}"
                    setattr(self, name, Parameter(_creation.empty(shape, device=device, dtype=dtype)))
                    names.append(name)
                self._flat_weights_names.extend(names)
                self._all_weights.append(names)
        self.reset_parameters()

    def reset_parameters(self):
        """Every parameter ~ U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), in registration order."""
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    @property
    def _flat_weights(self):
        return [getattr(self, name) for name in self._flat_weights_names]

    @property
    def all_weights(self):
        return [[getattr(self, name) for name in names] for names in self._all_weights]

    def flatten_parameters(self):
        """Only meaningful for cuDNN in PyTorch: a no-op here (as on PyTorch's CPU)."""

    def extra_repr(self):
        s = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size != 0:
            s += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if self.batch_first is not False:
            s += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            s += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            s += f", bidirectional={self.bidirectional}"
        return s

    # --- checks ------------------------------------------------------------------------------
    def _check_input(self, input, packed):
        w = getattr(self, self._flat_weights_names[0])
        if input.dtype != w.dtype:
            _errors.fail("rnn_dtype", got=input.dtype, want=w.dtype)
        want = 2 if packed else 3
        if input.dim() != want:
            _errors.fail("rnn_input_ndim", want=want, got=input.dim())
        if self.input_size != input.size(-1):
            _errors.fail("rnn_input_size", want=self.input_size, got=input.size(-1))

    def _expected_hidden(self, batch, size):
        return (self.num_layers * (2 if self.bidirectional else 1), batch, size)

    def _check_hidden(self, hx, want, label=None):
        if tuple(hx.shape) != want:
            if label is None:
                _errors.fail("rnn_hidden_size", want=want, got=list(hx.shape))
            _errors.fail("rnn_hidden_n_size", i=label, want=want, got=list(hx.shape))

    # --- the forward pass, shared ------------------------------------------------------------
    def _forward(self, input, hx):
        """``input``: a Tensor (2-D unbatched or 3-D) or a PackedSequence; ``hx``: a tuple of the
        initial states ((h0,) or (h0, c0)) or None.  Returns (output, tuple of final states)."""
        lstm = self.mode == "LSTM"
        directions = 2 if self.bidirectional else 1
        sizes = [self.proj_size if self.proj_size > 0 else self.hidden_size] + ([self.hidden_size] if lstm else [])
        packed = isinstance(input, PackedSequence)
        if packed:
            input, sizes_tensor, sorted_indices, unsorted_indices = input
            batch_sizes = [int(n) for n in sizes_tensor.tolist()]
            batch, batch_dim, batched = batch_sizes[0], 1, True
            if hx is not None and sorted_indices is not None:
                hx = tuple(h.index_select(1, sorted_indices) for h in hx)
        else:
            unsorted_indices = None
            if input.dim() not in (2, 3):
                if lstm or self.mode == "GRU":
                    _errors.fail("rnn_input_2d3d", name=self._get_name(), dim=input.dim())
                _errors.fail("rnn_input_2d3d_tensor", dim=input.dim())
            batched = input.dim() == 3
            batch_dim = 0 if self.batch_first else 1
            if not batched:
                input = input.unsqueeze(batch_dim)
            if hx is not None:
                dims = [h.dim() for h in hx]
                if any(d != (3 if batched else 2) for d in dims):
                    key = {(True, True): "rnn_hxcx_batched", (True, False): "rnn_hxcx_unbatched",
                           (False, True): "rnn_hx_batched", (False, False): "rnn_hx_unbatched"}[lstm, batched]
                    _errors.fail(key, h=dims[0], c=dims[-1])
                if not batched:
                    hx = tuple(h.unsqueeze(1) for h in hx)
            batch = input.size(0) if self.batch_first else input.size(1)
        if hx is None:
            hx = tuple(_creation.zeros(self.num_layers * directions, batch, n, dtype=input.dtype,
                                       device=input.device) for n in sizes)
        self._check_input(input, packed)
        for k, (h, n) in enumerate(zip(hx, sizes)):
            self._check_hidden(h, self._expected_hidden(batch, n), k if lstm else None)
        if not packed:
            if self.batch_first:
                input = input.transpose(0, 1)
            if input.shape[0] == 0:
                _errors.fail("rnn_empty_seq")
            batch_sizes = [input.shape[1]] * input.shape[0]

        step = _STEPS[self.mode]
        finals = [[] for _ in hx]
        x = input
        for layer in range(self.num_layers):
            outputs = []
            for d in range(directions):
                names = self._all_weights[layer * directions + d]
                w = {n.split("_l")[0]: getattr(self, n) for n in names}
                gi = F.linear(x, w["weight_ih"], w.get("bias_ih"))
                gis = gi.unbind(0) if not packed else gi.split(batch_sizes, 0)
                state = tuple(h[layer * directions + d] for h in hx)
                outs, state = _run(step, gis, state, (w["weight_hh"], w.get("bias_hh"), w.get("weight_hr")),
                                   batch_sizes, reverse=d == 1)
                outputs.append(stack(outs, 0) if not packed else cat(outs, 0))
                for k, s in enumerate(state):
                    finals[k].append(s)
            x = outputs[0] if directions == 1 else cat(outputs, x.dim() - 1)
            if self.dropout != 0 and self.training and layer < self.num_layers - 1:
                x = F.dropout(x, self.dropout, True)
        states = tuple(stack(f, 0) for f in finals)
        if packed:
            if unsorted_indices is not None:
                states = tuple(s.index_select(1, unsorted_indices) for s in states)
            return PackedSequence(x, sizes_tensor, sorted_indices, unsorted_indices), states
        if self.batch_first:
            x = x.transpose(0, 1)
            if not lstm and x.grad_fn is not None:   # PyTorch's RNN/GRU transpose in place here
                x.grad_fn.grad_fn_name = "TransposeBackward1"
        if not batched:
            x = x.squeeze(batch_dim)
            states = tuple(s.squeeze(1) for s in states)
        return x, states


class RNN(RNNBase):
    """Elman RNN: h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)  (relu with nonlinearity='relu').

    ``forward(input, hx=None)`` takes ``input`` of shape (L, N, H_in) ((N, L, H_in) with
    batch_first=True), (L, H_in) unbatched, or a PackedSequence, and returns ``(output, h_n)``:
    output (L, N, D * H_out) holds the last layer's h_t of every step, h_n (D * num_layers, N, H_out)
    the final state of every layer (D = 2 if bidirectional else 1)."""

    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False, device=None, dtype=None, **kwargs):
        if "proj_size" in kwargs:
            _errors.fail("rnn_proj_lstm_only")
        if nonlinearity not in ("tanh", "relu"):
            _errors.fail("rnn_nonlinearity", name=nonlinearity)
        self.__dict__["nonlinearity"] = nonlinearity
        super().__init__("RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU", input_size, hidden_size,
                         num_layers, bias, batch_first, dropout, bidirectional, device=device, dtype=dtype,
                         **kwargs)

    def forward(self, input, hx=None):
        output, (h_n,) = self._forward(input, None if hx is None else (hx,))
        return output, h_n


class LSTM(RNNBase):
    """Long short-term memory (长短期记忆网络); each step (see ``_lstm_step`` for the gates):
        c_t = f_t * c_{t-1} + i_t * g_t,   h_t = o_t * tanh(c_t)   (then h_t W_hr^T with proj_size > 0)

    ``forward(input, hx=None)`` with ``hx = (h_0, c_0)`` returns ``(output, (h_n, c_n))``."""

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, proj_size=0, device=None, dtype=None, **kwargs):
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         proj_size, device, dtype, **kwargs)

    def forward(self, input, hx=None):
        output, (h_n, c_n) = self._forward(input, None if hx is None else tuple(hx))
        return output, (h_n, c_n)


class GRU(RNNBase):
    """Gated recurrent unit (门控循环单元); each step (see ``_gru_step`` for the gates):
        h_t = (1 - z_t) * n_t + z_t * h_{t-1}

    ``forward(input, hx=None)`` returns ``(output, h_n)`` like ``nn.RNN``."""

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, device=None, dtype=None, **kwargs):
        if "proj_size" in kwargs:
            _errors.fail("rnn_proj_lstm_only")
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         device=device, dtype=dtype, **kwargs)

    def forward(self, input, hx=None):
        output, (h_n,) = self._forward(input, None if hx is None else (hx,))
        return output, h_n


# --- cells: one time step ----------------------------------------------------------------------
class RNNCellBase(Module):
    """What the cells share: ``weight_ih`` (chunks * hidden, input), ``weight_hh`` (chunks * hidden,
    hidden), ``bias_ih`` and ``bias_hh``, all ~ U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))."""

    def __init__(self, input_size, hidden_size, bias, num_chunks, device=None, dtype=None):
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        g = num_chunks * hidden_size
        self.weight_ih = Parameter(_creation.empty((g, input_size), device=device, dtype=dtype))
        self.weight_hh = Parameter(_creation.empty((g, hidden_size), device=device, dtype=dtype))
        if bias:
            self.bias_ih = Parameter(_creation.empty(g, device=device, dtype=dtype))
            self.bias_hh = Parameter(_creation.empty(g, device=device, dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def extra_repr(self):
        s = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if getattr(self, "nonlinearity", "tanh") != "tanh":
            s += f", nonlinearity={self.nonlinearity}"
        return s

    def reset_parameters(self):
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def _prepare(self, input, hx, n_states):
        """Checks; unbatched 1-D input gets a batch of one.  Returns (input, states, batched)."""
        name = self._get_name()
        if input.dim() not in (1, 2):
            _errors.fail("cell_input_dims", name=name, dim=input.dim())
        if hx is not None:
            for k, h in enumerate(hx):
                if h.dim() not in (1, 2):
                    if n_states == 1:
                        _errors.fail("cell_hidden_dims", name=name, dim=h.dim())
                    _errors.fail("cell_hx_dims", name=name, i=k, dim=h.dim())
        batched = input.dim() == 2
        if not batched:
            input = input.unsqueeze(0)
        if hx is None:
            zeros = _creation.zeros(input.size(0), self.hidden_size, dtype=input.dtype, device=input.device)
            hx = (zeros,) * n_states
        elif not batched:
            hx = tuple(h.unsqueeze(0) for h in hx)
        if input.size(1) != self.input_size:
            _errors.fail("cell_input_size", got=input.size(1), want=self.input_size)
        for k, h in enumerate(hx):
            if input.size(0) != h.size(0):
                _errors.fail("cell_batch", n=input.size(0), i=k, m=h.size(0))
            if h.size(1) != self.hidden_size:
                _errors.fail("cell_hidden_size", i=k, got=h.size(1), want=self.hidden_size)
        return input, tuple(hx), batched

    def _step(self, step, input, hx, n_states):
        input, hx, batched = self._prepare(input, hx, n_states)
        gi = F.linear(input, self.weight_ih, self.bias_ih)
        out = step(gi, hx, (self.weight_hh, self.bias_hh, None))
        return out if batched else tuple(o.squeeze(0) for o in out)


class RNNCell(RNNCellBase):
    """One step of an Elman RNN: h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh) (or relu)."""

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=1, device=device, dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input, hx=None):
        if input.dim() in (1, 2) and (hx is None or hx.dim() in (1, 2)) and \
                self.nonlinearity not in ("tanh", "relu"):
            _errors.fail("cell_nonlinearity", name=self.nonlinearity)
        step = _rnn_tanh_step if self.nonlinearity == "tanh" else _rnn_relu_step
        return self._step(step, input, None if hx is None else (hx,), 1)[0]


class LSTMCell(RNNCellBase):
    """One LSTM step: ``(h', c') = cell(x, (h, c))`` with the gates of ``_lstm_step``."""

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=4, device=device, dtype=dtype)

    def forward(self, input, hx=None):
        return self._step(_lstm_step, input, None if hx is None else tuple(hx), 2)


class GRUCell(RNNCellBase):
    """One GRU step: ``h' = cell(x, h)`` with the gates of ``_gru_step``."""

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=3, device=device, dtype=dtype)

    def forward(self, input, hx=None):
        return self._step(_gru_step, input, None if hx is None else (hx,), 1)[0]
