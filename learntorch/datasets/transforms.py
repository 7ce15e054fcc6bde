"""``learntorch.datasets.transforms`` is ``learntorch.transforms`` (torchvision keeps them side by side)."""
from ..transforms import *  # noqa: F401,F403
from ..transforms import __all__  # noqa: F401
