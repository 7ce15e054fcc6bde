"""``Tensor`` (张量): a backend array plus what autograd needs to know about it.

The class is deliberately thin.  Arithmetic, reductions, shape changes ... are
``Function`` subclasses in ``learntorch/ops``; the methods that call them
(``x.exp()``, ``x + y``, ``x.sum(dim=1)``) are attached from there, so the
forward and backward of each operation live in one place.
"""
import warnings
import weakref

from . import _dtype, _errors
from ._device import CPU, as_device
from .autograd import grad_mode
from .backends import CPU_BACKEND, backend_for

__all__ = ["Tensor", "Size"]


def _kwarg_type(v):
    return "torch.dtype" if isinstance(v, _dtype.dtype) else type(v).__name__


class Size(tuple):
    """``x.shape``: a tuple that prints as ``torch.Size([2, 3])``."""

    def __repr__(self):
        return f"torch.Size({list(self)})"

    def numel(self):
        n = 1
        for s in self:
            n *= s
        return n

    def __getitem__(self, item):
        r = tuple.__getitem__(self, item)
        return Size(r) if isinstance(item, slice) else r

    def __add__(self, other):
        return Size(tuple(self) + tuple(other))


class _HookHandle:
    """What ``register_hook`` & co return: ``handle.remove()`` unregisters the hook."""

    def __init__(self, hooks, hook):
        self._hooks, self._hook = hooks, hook

    def remove(self):
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)


class Tensor:
    """A multi-dimensional array that can take part in automatic differentiation.

    Attributes a learner meets: ``data`` (the numbers), ``dtype``, ``device``,
    ``requires_grad`` (record operations on it?), ``grad`` (filled in by
    ``backward()``), ``grad_fn`` (the operation that produced it; None for a
    leaf), ``is_leaf``.
    """

    __slots__ = ("_data", "dtype", "_backend", "_requires_grad", "_vc", "__weakref__", "__dict__")

    # What every new tensor starts with; a tensor that needs another value sets its own (every
    # operation creates tensors, so creating one sets only the five fields above).
    _grad = None          # filled in by backward() (leaves, and non-leaves that retain_grad())
    grad_fn = None        # the graph node that made this tensor (None: a leaf)
    _output_nr = 0        # which output of grad_fn this tensor is
    _base = None          # the tensor this one is a view of
    _acc = None           # AccumulateGrad node (leaves that require grad)
    _retains_grad = False
    _hooks = None
    _post_acc_hooks = None  # hooks run after backward() accumulates into .grad (leaves only)

    # --- construction -------------------------------------------------------
    def __new__(cls, *args, device=None, **kwargs):
        """Legacy constructor: ``Tensor(2, 3)`` (zeros: see below) or ``Tensor([1, 2])``.

        Both give the default float dtype.  PyTorch leaves ``Tensor(2, 3)``
        uninitialised (whatever was in memory); learntorch fills it with zeros
        so that notebooks print the same thing every run.
        """
        from ._creation import _legacy_new
        if kwargs:  # Tensor(2, 3, dtype=...) is a classic mistake: only torch.tensor/zeros/... take dtype
            got = ", ".join([type(a).__name__ for a in args] + [f"{k}={_kwarg_type(v)}" for k, v in kwargs.items()])
            bad = ", ".join(kwargs)
            raise TypeError(
                f"new() received an invalid combination of arguments - got ({got}), but expected one of:\n"
                " * (*, torch.device device = None)\n * (torch.Storage storage)\n * (Tensor other)\n"
                " * (tuple of ints size, *, torch.device device = None)\n"
                f"      didn't match because some of the keywords were incorrect: {bad}\n"
                " * (object data, *, torch.device device = None)\n"
                f"      didn't match because some of the keywords were incorrect: {bad}\n")
        return _legacy_new(cls, _dtype.get_default_dtype(), args, device)

    def __init__(self, *args, **kwargs):
        pass

    @classmethod
    def _make(cls, data, dtype=None, backend=CPU_BACKEND):
        """Wrap backend array ``data`` (no copy) as a Tensor that does not require grad."""
        t = object.__new__(cls)
        t._data = data
        t.dtype = dtype if dtype is not None else backend.from_dtype[data.dtype]
        t._backend = backend
        t._requires_grad = False
        t._vc = [0]          # version counter, shared with views
        return t

    # --- metadata ---------------------------------------------------------------
    @property
    def device(self):
        return self._backend.torch_device

    @property
    def is_cuda(self):
        return self._backend is not CPU_BACKEND

    @property
    def shape(self):
        return Size(self._data.shape)

    def size(self, dim=None):
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[_errors.check_dim(dim, self.ndim)]

    @property
    def ndim(self):
        return len(self._data.shape)

    def dim(self):
        return len(self._data.shape)

    ndimension = dim

    def numel(self):
        n = 1
        for s in self._data.shape:
            n *= s
        return n

    nelement = numel

    def element_size(self):
        return self.dtype.itemsize

    def stride(self, dim=None):
        """Steps (in elements) to the next element along each dimension."""
        s = self._backend.strides(self._data)
        return s if dim is None else s[_errors.check_dim(dim, self.ndim)]

    def is_contiguous(self, memory_format=None):
        """True when the elements lie in memory in row-major order with no gaps."""
        if self.numel() == 0:
            return True  # PyTorch: an empty tensor is always contiguous
        expected = 1
        for size, st in reversed(list(zip(self.shape, self.stride()))):
            if size == 1:
                continue
            if st != expected:
                return False
            expected *= size
        return True

    @property
    def T(self):
        """All dims reversed (for a matrix: its transpose)."""
        return self.permute(*reversed(range(self.ndim)))

    @property
    def mT(self):
        """The last two dims swapped (a batch of transposed matrices)."""
        return self.transpose(-2, -1)

    def is_floating_point(self):
        return self.dtype.is_floating_point

    def get_device(self):
        return -1 if self._backend is CPU_BACKEND else 0

    @property
    def _version(self):
        return self._vc[0]

    @property
    def is_leaf(self):
        """Leaves (叶子节点) are tensors not made by a recorded operation."""
        return self.grad_fn is None

    @property
    def requires_grad(self):
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value):
        value = bool(value)
        if self.grad_fn is not None and not value:
            _errors.fail("set_requires_grad_nonleaf")
        if value and not self.dtype.is_floating_point:
            _errors.fail("int_requires_grad_attr")
        self._requires_grad = value

    def requires_grad_(self, requires_grad=True):
        """Start (or stop) recording operations on this leaf tensor; returns the tensor."""
        if not isinstance(requires_grad, bool):
            raise TypeError("requires_grad_(): argument 'requires_grad' (position 1) must be bool, not "
                            f"{type(requires_grad).__name__}")
        if requires_grad and not self.dtype.is_floating_point:
            _errors.fail("int_requires_grad_method")
        if self.grad_fn is not None and not requires_grad:
            _errors.fail("set_requires_grad_nonleaf")
        self._requires_grad = bool(requires_grad)
        return self

    @property
    def grad(self):
        if self.grad_fn is not None and not self._retains_grad:
            warnings.warn(_errors.msg("nonleaf_grad_warning"), UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of type {type(value).__name__}")
            if value.shape != self.shape:
                raise RuntimeError("assigned grad has data of a different size")
        self._grad = value

    @property
    def data(self):
        """The same numbers as a tensor outside the graph (changes through it are not tracked)."""
        return Tensor._make(self._data, self.dtype, self._backend)

    @data.setter
    def data(self, value):
        self._data = value._data
        self.dtype = value.dtype
        self._backend = value._backend

    # --- autograd ---------------------------------------------------------------
    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Compute d(self)/d(leaf) for every leaf that requires grad, adding into ``leaf.grad``."""
        _autograd.backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def detach(self):
        """A tensor with the same data (shared memory) that is not part of the graph."""
        t = Tensor._make(self._data, self.dtype, self._backend)
        t._vc = self._vc
        return t

    def detach_(self):
        self.grad_fn = None
        self._requires_grad = False
        return self

    def retain_grad(self):
        """Ask backward to fill ``.grad`` of this non-leaf tensor too."""
        if not self._requires_grad:
            _errors.fail("retain_grad_leaf_nograd")
        if self.grad_fn is None or self._retains_grad:
            return
        self._retains_grad = True
        node = self.grad_fn
        if node._retained is None:
            node._retained = {}
        node._retained[self._output_nr] = weakref.ref(self)

    @property
    def retains_grad(self):
        return self._retains_grad

    def register_hook(self, hook):
        """Call ``hook(grad)`` when this tensor's gradient is computed; it may return a new grad."""
        if not self._requires_grad:
            _errors.fail("hook_nograd")
        node = self.grad_fn if self.grad_fn is not None else self._accumulator()
        if node._pre_hooks is None:
            node._pre_hooks = {}
        fns = node._pre_hooks.setdefault(self._output_nr if self.grad_fn is not None else 0, [])
        fns.append(hook)
        return _HookHandle(fns, hook)

    def register_post_accumulate_grad_hook(self, hook):
        """Call ``hook(self)`` each time backward has added into this leaf's ``.grad`` (e.g. to run an
        optimizer step per parameter); ``hook`` must return None.  ``handle.remove()`` unregisters it."""
        if not self._requires_grad:
            _errors.fail("hook_nograd")
        if self.grad_fn is not None:
            _errors.fail("post_acc_hook_nonleaf")
        if self._post_acc_hooks is None:
            self._post_acc_hooks = []
        fns = self._post_acc_hooks
        fns.append(hook)
        return _HookHandle(fns, hook)

    def _accumulator(self):
        if self._acc is None:
            self._acc = _function.AccumulateGrad(self)
        return self._acc

    def _backend_tensor(self, array):
        """A new Tensor (no graph) for ``array`` computed from this one on the same backend."""
        b = self._backend
        return Tensor._make(b.wrap(array), None, b)

    def _owned(self):
        """A row-major copy of this tensor that owns its memory (for storing as ``.grad``: a
        gradient laid out like its parameter keeps the optimizer's arithmetic on contiguous memory)."""
        return Tensor._make(self._backend.copy_rowmajor(self._data), self.dtype, self._backend)

    def _accumulate_(self, other):
        self._data += other._data
        return self

    # --- conversion ---------------------------------------------------------------
    def item(self):
        """The single value of a one-element tensor as a Python number."""
        n = self.numel()
        if n != 1:
            _errors.fail("item_many", n=n)
        value = self._backend.to_numpy(self._data).reshape(()).item()
        return value

    def tolist(self):
        return self._backend.to_numpy(self._data).tolist()

    def numpy(self, force=False):
        """The NumPy array behind a cpu tensor (shares memory)."""
        if force:
            return self._backend.to_numpy(self._data)
        if self._backend is not CPU_BACKEND:
            _errors.fail("numpy_cuda")
        if self._requires_grad and grad_mode.state.enabled:  # allowed under no_grad, as in PyTorch
            _errors.fail("numpy_requires_grad")
        return self._data

    def __array__(self, dtype=None, copy=None):
        a = self.numpy()
        return a if dtype is None else a.astype(dtype)

    def to(self, *args, **kwargs):
        """``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(other_tensor)``."""
        if set(kwargs) - {"dtype", "device", "copy", "non_blocking", "memory_format"} or \
                sum(isinstance(a, _dtype.dtype) for a in args) > 1:
            raise _bad_to_call(args, kwargs)
        dtype = kwargs.pop("dtype", None)
        device = kwargs.pop("device", None)
        copy = kwargs.pop("copy", False)
        for a in args:
            if isinstance(a, _dtype.dtype):
                dtype = a
            elif isinstance(a, Tensor):
                dtype, device = a.dtype, a.device
            elif isinstance(a, bool):
                continue  # non_blocking / copy positional flags
            else:
                device = a
        from .ops.convert import to_copy
        dev = as_device(device) if device is not None else None
        backend = backend_for(dev) if dev is not None else self._backend
        if (dtype is None or dtype is self.dtype) and backend is self._backend and not copy:
            return self
        return to_copy(self, dtype or self.dtype, backend)

    def cpu(self):
        return self.to("cpu")

    def cuda(self, device=None, non_blocking=False):
        return self.to("cuda" if device is None else device)

    def type(self, dtype=None, non_blocking=False):
        """``x.type()`` names the legacy type ('torch.FloatTensor'); ``x.type(torch.int32)`` converts."""
        if dtype is None:
            prefix = "torch." if self._backend is CPU_BACKEND else "torch.cuda."
            return prefix + _dtype.TYPE_NAMES[self.dtype]
        device = self.device
        if isinstance(dtype, _LegacyTypeMeta):
            dtype = dtype.dtype
        elif isinstance(dtype, str):
            by_name = {v: k for k, v in _dtype.TYPE_NAMES.items()}
            module, _, name = dtype.rpartition(".")
            if module not in ("torch", "torch.cuda") or name not in by_name:
                raise ValueError(f"invalid type: '{dtype}'")
            dtype, device = by_name[name], ("cuda" if module == "torch.cuda" else "cpu")
        elif not isinstance(dtype, _dtype.dtype):
            t = dtype if isinstance(dtype, type) else type(dtype)
            raise ValueError(f"invalid type: '{t.__module__}.{t.__name__}'")
        return self.to(device, dtype)

    def _cast(name, dt):
        def method(self, *args, memory_format=None):
            if args:
                n = len(args)
                raise TypeError(f"{name}() takes 0 positional arguments but {n} {'was' if n == 1 else 'were'} given")
            return self.to(dt)
        method.__name__ = name
        method.__doc__ = f"``self.to({dt!r})``: the same values as {dt!r} (``self`` if it already is)."
        return method

    float = _cast("float", _dtype.float32)
    double = _cast("double", _dtype.float64)
    half = _cast("half", _dtype.float16)
    long = _cast("long", _dtype.int64)
    int = _cast("int", _dtype.int32)
    short = _cast("short", _dtype.int16)
    char = _cast("char", _dtype.int8)
    byte = _cast("byte", _dtype.uint8)
    bool = _cast("bool", _dtype.bool)
    del _cast

    # --- Python protocol -------------------------------------------------------------
    def __repr__(self, *, tensor_contents=None):
        from ._tensor_str import tensor_repr
        return tensor_repr(self)

    __str__ = __repr__

    def __format__(self, spec):
        if self.ndim == 0 and type(self) is Tensor:  # f"{loss}" formats the number, as in PyTorch
            return self.item().__format__(spec)
        return object.__format__(self, spec) if spec else repr(self)

    def data_ptr(self):
        """The memory address of the first element (equal for tensors sharing memory at the same place)."""
        return self._backend.data_ptr(self._data)

    def __len__(self):
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __bool__(self):
        n = self.numel()
        if n != 1:
            raise RuntimeError(f"Boolean value of Tensor with {'more than one value' if n else 'no values'} is ambiguous")
        return bool(self.item())

    def __float__(self):
        if self.numel() != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return float(self.item())

    def __int__(self):
        if self.numel() != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return int(self.item())

    def __index__(self):
        if self.dtype.is_floating_point or self.numel() != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    __hash__ = object.__hash__

    def __deepcopy__(self, memo):
        if not self.is_leaf:
            raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) support the deepcopy "
                               "protocol at the moment.  If you were attempting to deepcopy a module, this may be "
                               "because of a torch.nn.utils.weight_norm usage, see "
                               "https://github.com/pytorch/pytorch/pull/103001")
        t = self._owned()
        t.__class__ = self.__class__
        t._requires_grad = self._requires_grad
        if self._grad is not None:
            t._grad = self._grad._owned()
        # the user's own attributes; autograd and view bookkeeping (names with "_") stay behind
        t.__dict__.update({k: v for k, v in self.__dict__.items() if not k.startswith("_") and k != "grad_fn"})
        memo[id(self)] = t
        return t

    def __reduce_ex__(self, proto):
        # Plain pickling (multiprocessing, copy.copy): rebuild from a NumPy copy.
        from ._creation import _rebuild
        return (_rebuild, (self._backend.to_numpy(self._data), self.dtype.name, str(self.device),
                           self._requires_grad, self.__class__))


from . import autograd as _autograd  # noqa: E402
from .autograd import function as _function  # noqa: E402  (the engine needs the class)

_function.Tensor = Tensor


def _bad_to_call(args, kwargs):
    """PyTorch's TypeError for a ``to()`` call that matches none of its signatures."""
    def name(v):
        return "torch.dtype" if isinstance(v, _dtype.dtype) else type(v).__name__
    got = ", ".join(name(a) for a in args)
    if kwargs:
        got += (", " if got else "") + ", ".join(f"{k}={name(v)}" for k, v in kwargs.items()) + ", "
    return TypeError(f"to() received an invalid combination of arguments - got ({got}), but expected one of:")


class _LegacyTypeMeta(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor) and obj.dtype is cls.dtype and not obj.is_cuda


def _legacy_type(name, dt):
    def __new__(cls, *args, device=None):
        from ._creation import _legacy_new
        return _legacy_new(Tensor, dt, args, device)
    return _LegacyTypeMeta(name, (), {"__new__": __new__, "dtype": dt, "__doc__": f"Legacy constructor for {dt} tensors."})


FloatTensor = _legacy_type("FloatTensor", _dtype.float32)
DoubleTensor = _legacy_type("DoubleTensor", _dtype.float64)
HalfTensor = _legacy_type("HalfTensor", _dtype.float16)
IntTensor = _legacy_type("IntTensor", _dtype.int32)
LongTensor = _legacy_type("LongTensor", _dtype.int64)
ShortTensor = _legacy_type("ShortTensor", _dtype.int16)
CharTensor = _legacy_type("CharTensor", _dtype.int8)
ByteTensor = _legacy_type("ByteTensor", _dtype.uint8)
BoolTensor = _legacy_type("BoolTensor", _dtype.bool)
