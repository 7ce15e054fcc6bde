"""The exercise registry.

Each chapter module in this package (``ch01_tensors.py`` ...) defines
``EXERCISES = [Exercise(...), ...]`` (see ``widgets.feedback``).  They are found
and loaded on first use, so ``check("01.zeros", answer)`` works without importing
anything else.  Ids are unique across chapters.
"""
import importlib
import pkgutil

__all__ = ["register", "get", "all_exercises", "ids", "load_all"]

_REGISTRY = {}
_loaded = False


def register(*exercises):
    """Add exercises (an id may be registered once)."""
    for ex in exercises:
        old = _REGISTRY.get(ex.id)
        if old is not None and old is not ex:
            raise ValueError(f"duplicate exercise id {ex.id!r}")
        _REGISTRY[ex.id] = ex
    return exercises[0] if len(exercises) == 1 else exercises


def load_all():
    """Import every chapter module of this package and register its ``EXERCISES``."""
    global _loaded
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        register(*getattr(module, "EXERCISES", ()))
    _loaded = True


def get(exercise_id):
    """The exercise with this id, or None."""
    if exercise_id not in _REGISTRY and not _loaded:
        load_all()
    return _REGISTRY.get(exercise_id)


def all_exercises():
    """Every registered exercise, sorted by id."""
    if not _loaded:
        load_all()
    return [_REGISTRY[k] for k in sorted(_REGISTRY)]


def ids():
    return [ex.id for ex in all_exercises()]
