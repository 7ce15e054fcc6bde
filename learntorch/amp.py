"""Automatic mixed precision (自动混合精度): ``autocast`` and ``GradScaler``.

Mixed precision runs the big matrix products of a forward pass in float16,
which GPUs compute much faster, and keeps everything else in float32::

    scaler = GradScaler()
    with autocast(device_type="cuda"):
        loss = criterion(model(x), y)       # matmuls / linear layers in float16
    scaler.scale(loss).backward()           # gradients of (loss * scale): small ones don't round to 0 in float16
    scaler.step(optimizer)                  # unscales the gradients; skips the step if one is inf/nan
    scaler.update()                         # shrinks the scale after inf/nan, grows it after 2000 good steps

* ``autocast`` only records which dtype matrix products should use
  (``autocast_dtype(device_type)``); the products ask for it (``cast_inputs``)
  and precision-sensitive ops (softmax, losses) for float32 (``upcast_inputs``).
  On a real GPU (CuPy) that is float16.  The simulated CUDA device has no
  float16, and learntorch has no bfloat16 (PyTorch's CPU default): there
  autocast computes in float32, giving correct results without a speed-up,
  and says so once.  ``autocast('cpu', dtype=float16)`` does use float16.
* ``GradScaler`` follows ``torch.amp.GradScaler`` step by step (same scale
  updates, same skipped steps, same errors).  On 'cpu' it is enabled, as in
  PyTorch; for 'cuda' without a GPU it disables itself with PyTorch's warning
  and then just passes calls through.

``learntorch.cuda.amp.autocast`` / ``GradScaler`` (the old spelling many
tutorials use) work too, with PyTorch's deprecation warning.
"""
import functools
import sys
import threading
import types
import warnings

import numpy as np

from . import _dtype
from ._device import device as _device

__all__ = ["autocast", "GradScaler", "autocast_dtype", "cast_inputs", "upcast_inputs", "is_autocast_enabled"]

_local = threading.local()   # autocast state is per thread, as in PyTorch: {device_type: (enabled, dtype)}
_noted = set()               # one-time notes already shown


def _modes():
    modes = getattr(_local, "modes", None)
    if modes is None:
        modes = _local.modes = {}
    return modes


def _backend(device_type):
    from .backends import CPU_BACKEND, cuda_backend
    return CPU_BACKEND if device_type == "cpu" else cuda_backend()


def is_autocast_enabled(device_type="cuda"):
    """Is an ``autocast(device_type)`` region active (and enabled) in this thread?"""
    return _modes().get(device_type, (False, None))[0]


def autocast_dtype(device_type):
    """The dtype matrix products on ``device_type`` should compute in now, or None (no autocast in effect).

    None also when autocast is on but the device cannot compute in its dtype
    (no float16 on the simulated CUDA device, no bfloat16 in learntorch).
    """
    enabled, dtype = _modes().get(device_type, (False, None))
    if not enabled or dtype is None:
        return None
    backend = _backend(device_type)
    if backend is None or backend.dtypes.get(dtype) is None:
        return None
    return dtype


def cast_inputs(*tensors):
    """The tensors an autocast-eligible op (matmul, mm, addmm, linear) should compute with.

    Under autocast, floating tensors other than float64 are cast to the
    autocast dtype (the cast is recorded by autograd, so gradients flow back in
    the original dtype); otherwise the tensors come back unchanged.
    """
    if not getattr(_local, "modes", None):
        return tensors
    first = next((t for t in tensors if t is not None), None)
    dtype = autocast_dtype(first.device.type) if first is not None else None
    if dtype is None:
        return tensors
    return tuple(t.to(dtype) if t is not None and t.dtype.is_floating_point and t.dtype is not _dtype.float64
                 else t for t in tensors)


def upcast_inputs(*tensors):
    """The tensors a precision-sensitive op (softmax, log_softmax, the losses) should compute with.

    PyTorch's autocast runs these in float32: under autocast, float16 inputs
    are cast to float32; otherwise the tensors come back unchanged.
    """
    if not getattr(_local, "modes", None):
        return tensors
    first = next((t for t in tensors if t is not None), None)
    if first is None or not is_autocast_enabled(first.device.type):
        return tensors
    return tuple(t.to(_dtype.float32) if t is not None and t.dtype is _dtype.float16 else t for t in tensors)


def _note_once(text):
    if text not in _noted:
        _noted.add(text)
        warnings.warn(text, UserWarning, stacklevel=3)


class autocast:
    """Context manager (and decorator) that runs matrix products in lower precision.

    ``autocast(device_type, dtype=None, enabled=True, cache_enabled=None)``:
    ``device_type`` is 'cuda' or 'cpu'; ``dtype`` defaults to float16 on cuda
    (and to PyTorch's bfloat16 on cpu, which learntorch lacks: float32 is used).
    Regions nest; ``autocast(..., enabled=False)`` switches it off inside.
    """

    def __init__(self, device_type, dtype=None, enabled=True, cache_enabled=None):
        if not isinstance(device_type, str):
            raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")
        kind = _device(device_type).type  # PyTorch's error for unknown device strings
        if kind not in ("cpu", "cuda") or ":" in device_type:
            raise RuntimeError(f"User specified an unsupported autocast device_type '{device_type}'")
        self.device = device_type
        self.fast_dtype = dtype if dtype is not None else (_dtype.float16 if device_type == "cuda" else None)
        self._cache_enabled = cache_enabled
        if enabled:
            if device_type == "cuda":
                from . import cuda
                if not cuda.is_available():
                    warnings.warn("CUDA is not available or torch_xla is imported. Disabling autocast.", stacklevel=2)
                    enabled = False
            elif dtype is not None and dtype is not _dtype.float16:
                warnings.warn("In CPU autocast, but the target dtype is not supported. Disabling autocast.\n"
                              "CPU Autocast only supports dtypes of torch.bfloat16, torch.float16 currently.",
                              stacklevel=2)
                enabled = False
        self._enabled = enabled
        self._saved = []  # previous states, a stack so that a decorated function may recurse

    def __enter__(self):
        modes = _modes()
        self._saved.append(modes.get(self.device))
        modes[self.device] = (self._enabled, self.fast_dtype)
        if self._enabled and autocast_dtype(self.device) is None:
            if self.fast_dtype is None:
                _note_once("learntorch has no bfloat16 (PyTorch's dtype for CPU autocast): autocast('cpu') computes "
                           "in float32 here, with correct results but no speed-up. Pass dtype=torch.float16 for "
                           "float16.")
            else:
                _note_once(f"the {self.device} device here has no {self.fast_dtype}: autocast computes in float32 "
                           f"(correct results, no speed-up; a real GPU with CuPy uses {self.fast_dtype}).")
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        previous = self._saved.pop()
        modes = _modes()
        if previous is None:
            modes.pop(self.device, None)
        else:
            modes[self.device] = previous
        return False

    def __call__(self, func):
        @functools.wraps(func)
        def decorate_autocast(*args, **kwargs):
            with self:
                return func(*args, **kwargs)
        return decorate_autocast


# ---------------------------------------------------------------------------------------------------
# GradScaler
# ---------------------------------------------------------------------------------------------------
_READY, _UNSCALED, _STEPPED = "ready", "unscaled", "stepped"   # where each optimizer is in the iteration


def _fresh_optimizer_state():
    return {"stage": _READY, "found_inf_per_device": {}}


class GradScaler:
    """Scale the loss so that float16 gradients do not underflow, and undo it before the optimizer steps.

    Each iteration: ``scale(loss)`` returns loss * S; after ``backward()`` every
    gradient is S times too big.  ``step(optimizer)`` divides them by S
    (``unscale_``) and runs ``optimizer.step()`` unless some gradient is inf
    or nan (then the step is skipped).  ``update()`` sets the next S:
    S * backoff_factor after an inf/nan, S * growth_factor after
    ``growth_interval`` steps in a row without one.
    """

    def __init__(self, device="cuda", init_scale=2.0 ** 16, growth_factor=2.0, backoff_factor=0.5,
                 growth_interval=2000, enabled=True):
        self._device = device
        self._enabled = enabled
        if device == "cuda" and enabled:
            from . import cuda
            if not cuda.is_available():
                warnings.warn("torch.cuda.amp.GradScaler is enabled, but CUDA is not available.  Disabling.",
                              stacklevel=2)
                self._enabled = False
        if self._enabled:
            if growth_factor <= 1.0:
                raise AssertionError("The growth factor must be > 1.0.")
            if backoff_factor >= 1.0:
                raise AssertionError("The backoff factor must be < 1.0.")
            self._init_scale = init_scale
            self._scale = None            # float32 0-d tensor, on the device of the first scaled loss
            self._growth_factor = growth_factor
            self._backoff_factor = backoff_factor
            self._growth_interval = growth_interval
            self._init_growth_tracker = 0
            self._growth_tracker = None   # good steps in a row (int); None until the first scale()
            self._per_optimizer_states = {}

    # --- scaling the loss ----------------------------------------------------------------------
    def scale(self, outputs):
        """``outputs * scale`` (a tensor, or an iterable of tensors); unchanged when disabled."""
        from ._tensor import Tensor
        if not self._enabled:
            return outputs
        if isinstance(outputs, Tensor):
            if self._scale is None:
                self._lazy_init_scale_growth_tracker(outputs.device)
            return outputs * self._scale.to(outputs.device)

        def apply_scale(val):
            if isinstance(val, Tensor):
                if self._scale is None:
                    self._lazy_init_scale_growth_tracker(val.device)
                return val * self._scale.to(val.device)
            if isinstance(val, (list, tuple)) or hasattr(val, "__iter__") and not isinstance(val, (str, bytes)):
                scaled = [apply_scale(v) for v in val]
                return type(val)(scaled) if isinstance(val, (list, tuple)) else scaled
            raise ValueError("outputs must be a Tensor or an iterable of Tensors")
        return apply_scale(outputs)

    def _lazy_init_scale_growth_tracker(self, dev):
        self._set_scale(self._init_scale, dev)
        self._growth_tracker = self._init_growth_tracker

    def _set_scale(self, value, dev=None):
        from . import full
        dev = dev if dev is not None else self._scale.device
        self._scale = full((), float(np.float32(value)), dtype=_dtype.float32, device=dev)

    def _check_scale_growth_tracker(self, funcname):
        fix = "This may indicate your script did not use scaler.scale(loss or outputs) earlier in the iteration."
        if self._scale is None:
            raise AssertionError(f"Attempted {funcname} but _scale is None.  " + fix)
        if self._growth_tracker is None:
            raise AssertionError(f"Attempted {funcname} but _growth_tracker is None.  " + fix)
        return self._scale, self._growth_tracker

    def _state(self, optimizer):
        return self._per_optimizer_states.setdefault(id(optimizer), _fresh_optimizer_state())

    # --- unscaling the gradients ----------------------------------------------------------------
    def unscale_(self, optimizer):
        """Divide the gradients of ``optimizer``'s parameters by the scale, in place (once per step)."""
        if not self._enabled:
            return
        self._check_scale_growth_tracker("unscale_")
        state = self._state(optimizer)
        if state["stage"] is _UNSCALED:
            raise RuntimeError("unscale_() has already been called on this optimizer since the last update().")
        if state["stage"] is _STEPPED:
            raise RuntimeError("unscale_() is being called after step().")
        inv_scale = float(np.float32(1.0 / np.float64(self._scale.item())))  # PyTorch: in float64, then float32
        state["found_inf_per_device"] = self._unscale_grads_(optimizer, inv_scale, allow_fp16=False)
        state["stage"] = _UNSCALED

    def _unscale_grads_(self, optimizer, inv_scale, allow_fp16):
        """grad *= inv_scale for every gradient; per device: 1.0 if some gradient had an inf or nan, else 0.0."""
        from ._tensor import Tensor
        from .autograd import no_grad
        found_inf = {}
        with no_grad():
            for group in optimizer.param_groups:
                for param in group["params"]:
                    if not isinstance(param, Tensor):
                        raise AssertionError(f"expected param to be torch.Tensor, got {type(param).__name__}")
                    grad = param.grad
                    if grad is None:
                        continue
                    if not allow_fp16 and grad.dtype is _dtype.float16:
                        raise ValueError("Attempting to unscale FP16 gradients.")
                    xp = grad._backend.xp
                    finite = bool(xp.all(xp.isfinite(grad._data)))
                    dev = str(grad.device)
                    found_inf[dev] = max(found_inf.get(dev, 0.0), 0.0 if finite else 1.0)
                    grad.mul_(inv_scale)
        return found_inf

    # --- stepping and updating ----------------------------------------------------------------------
    def step(self, optimizer, *args, **kwargs):
        """Unscale (if not done yet), then ``optimizer.step()`` unless a gradient is inf/nan; returns its result."""
        if not self._enabled:
            return optimizer.step(*args, **kwargs)
        if "closure" in kwargs:
            raise RuntimeError("Closure use is not currently supported if GradScaler is enabled.")
        self._check_scale_growth_tracker("step")
        state = self._state(optimizer)
        if state["stage"] is _STEPPED:
            raise RuntimeError("step() has already been called since the last update().")
        if state["stage"] is _READY:
            self.unscale_(optimizer)
        if len(state["found_inf_per_device"]) == 0:
            raise AssertionError("No inf checks were recorded for this optimizer.")
        retval = None
        if not sum(state["found_inf_per_device"].values()):
            retval = optimizer.step(*args, **kwargs)
        state["stage"] = _STEPPED
        return retval

    def update(self, new_scale=None):
        """Set the scale for the next iteration (see the class docstring), or to ``new_scale``."""
        if not self._enabled:
            return
        self._check_scale_growth_tracker("update")
        from ._tensor import Tensor
        if new_scale is not None:
            if isinstance(new_scale, Tensor):
                reason = ("new_scale should be a float or a 1-element torch.cuda.FloatTensor or "
                          "torch.FloatTensor with requires_grad=False.")
                if new_scale.device.type != self._device or new_scale.numel() != 1 or new_scale.requires_grad:
                    raise AssertionError(reason)
                new_scale = new_scale.item()
            self._set_scale(new_scale)
        else:
            found_infs = [v for s in self._per_optimizer_states.values() for v in s["found_inf_per_device"].values()]
            if len(found_infs) == 0:
                raise AssertionError("No inf checks were recorded prior to update.")
            scale = np.float32(self._scale.item())
            if sum(found_infs):
                scale = np.float32(float(scale) * self._backoff_factor)
                self._growth_tracker = 0
            else:
                successful = self._growth_tracker + 1
                if successful == self._growth_interval:
                    with np.errstate(over="ignore"):
                        grown = np.float32(float(scale) * self._growth_factor)
                    if np.isfinite(grown):
                        scale = grown
                    self._growth_tracker = 0
                else:
                    self._growth_tracker = successful
            self._set_scale(scale)
        self._per_optimizer_states = {}

    # --- getters, setters, state ---------------------------------------------------------------------
    def get_scale(self):
        """The current scale as a Python float (1.0 when disabled)."""
        if self._enabled:
            return self._init_scale if self._scale is None else self._scale.item()
        return 1.0

    def get_growth_factor(self):
        return self._growth_factor

    def set_growth_factor(self, new_factor):
        self._growth_factor = new_factor

    def get_backoff_factor(self):
        return self._backoff_factor

    def set_backoff_factor(self, new_factor):
        self._backoff_factor = new_factor

    def get_growth_interval(self):
        return self._growth_interval

    def set_growth_interval(self, new_interval):
        self._growth_interval = new_interval

    def _get_growth_tracker(self):
        if self._enabled:
            return self._init_growth_tracker if self._growth_tracker is None else self._growth_tracker
        return 0

    def is_enabled(self):
        return self._enabled

    def state_dict(self):
        """scale, growth_factor, backoff_factor, growth_interval, _growth_tracker ({} when disabled)."""
        if self._enabled:
            return {"scale": self.get_scale(), "growth_factor": self._growth_factor,
                    "backoff_factor": self._backoff_factor, "growth_interval": self._growth_interval,
                    "_growth_tracker": self._get_growth_tracker()}
        return {}

    def load_state_dict(self, state_dict):
        if not self._enabled:
            return
        if len(state_dict) == 0:
            raise RuntimeError("The source state dict is empty, possibly because it was saved "
                               "from a disabled instance of GradScaler.")
        self._init_scale = state_dict["scale"]
        if self._scale is not None:
            self._set_scale(state_dict["scale"])
        self._growth_factor = state_dict["growth_factor"]
        self._backoff_factor = state_dict["backoff_factor"]
        self._growth_interval = state_dict["growth_interval"]
        self._init_growth_tracker = state_dict["_growth_tracker"]
        if self._growth_tracker is not None:
            self._growth_tracker = state_dict["_growth_tracker"]


# ---------------------------------------------------------------------------------------------------
# learntorch.cuda.amp: the old spelling (``from torch.cuda.amp import autocast, GradScaler``)
# ---------------------------------------------------------------------------------------------------
class _CudaAutocast(autocast):
    """``cuda.amp.autocast(enabled=True, dtype=float16, cache_enabled=True)`` = ``autocast('cuda', ...)``."""

    def __init__(self, enabled=True, dtype=_dtype.float16, cache_enabled=True):
        warnings.warn("`torch.cuda.amp.autocast(args...)` is deprecated. Please use "
                      "`torch.amp.autocast('cuda', args...)` instead.", FutureWarning, stacklevel=2)
        super().__init__("cuda", dtype=dtype, enabled=enabled, cache_enabled=cache_enabled)


class _CudaGradScaler(GradScaler):
    """``cuda.amp.GradScaler(...)`` = ``GradScaler('cuda', ...)``."""

    def __init__(self, init_scale=2.0 ** 16, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000,
                 enabled=True):
        warnings.warn("`torch.cuda.amp.GradScaler(args...)` is deprecated. Please use "
                      "`torch.amp.GradScaler('cuda', args...)` instead.", FutureWarning, stacklevel=2)
        super().__init__("cuda", init_scale=init_scale, growth_factor=growth_factor,
                         backoff_factor=backoff_factor, growth_interval=growth_interval, enabled=enabled)


_CudaAutocast.__name__ = _CudaAutocast.__qualname__ = "autocast"
_CudaGradScaler.__name__ = _CudaGradScaler.__qualname__ = "GradScaler"

cuda_amp = types.ModuleType("learntorch.cuda.amp", "learntorch.cuda.amp: autocast and GradScaler for 'cuda' "
                            "(deprecated spelling of learntorch.amp, kept because tutorials use it).")
cuda_amp.autocast = _CudaAutocast
cuda_amp.GradScaler = _CudaGradScaler
cuda_amp.__all__ = ["autocast", "GradScaler"]
sys.modules["learntorch.cuda.amp"] = cuda_amp  # so that ``from learntorch.cuda.amp import autocast`` works
