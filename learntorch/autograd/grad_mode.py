"""Switching gradient recording on and off: ``no_grad``, ``enable_grad``,
``set_grad_enabled``, ``inference_mode``.  Each works as a context manager and
as a decorator, as in PyTorch."""
import functools

__all__ = ["no_grad", "enable_grad", "set_grad_enabled", "inference_mode", "is_grad_enabled",
           "is_inference_mode_enabled"]


class _State:
    enabled = True      # record operations for autograd? (计算图是否记录)
    inference = False   # inside inference_mode?


state = _State()


def is_grad_enabled():
    return state.enabled


def is_inference_mode_enabled():
    return state.inference


class _Mode:
    """Base: a context manager that sets ``state.enabled`` and restores it; usable as a decorator."""

    def __init__(self, mode=False):
        self.mode = mode

    def __enter__(self):
        self.prev = state.enabled
        state.enabled = self.mode

    def __exit__(self, *exc):
        state.enabled = self.prev
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.__class__(*self._args()):
                return fn(*args, **kwargs)
        return wrapper

    def _args(self):
        return ()

    def clone(self):
        return self.__class__(*self._args())


class no_grad(_Mode):
    """``with no_grad():`` results of operations do not require grad (推理/参数更新时使用)."""

    def __init__(self):
        super().__init__(False)


class enable_grad(_Mode):
    def __init__(self):
        super().__init__(True)


class set_grad_enabled(_Mode):
    """``set_grad_enabled(False)`` switches recording off at once; as a context it restores on exit."""

    def __init__(self, mode):
        self.prev = state.enabled
        state.enabled = bool(mode)
        super().__init__(bool(mode))

    def __enter__(self):
        pass  # already switched in __init__; prev was saved there

    def __exit__(self, *exc):
        state.enabled = self.prev
        return False

    def _args(self):
        return (self.mode,)


class inference_mode(_Mode):
    """Like ``no_grad`` (learntorch has no separate inference tensors; it is as fast)."""

    def __init__(self, mode=True):
        super().__init__(not mode)
        self.inference_mode = mode

    def __enter__(self):
        self.prev_inference = state.inference
        state.inference = self.inference_mode
        super().__enter__()

    def __exit__(self, *exc):
        state.inference = self.prev_inference
        return super().__exit__(*exc)

    def _args(self):
        return (self.inference_mode,)
