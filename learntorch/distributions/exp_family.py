"""Exponential families (指数族): a marker base class, as in PyTorch (used by kl_divergence)."""
from .distribution import Distribution

__all__ = ["ExponentialFamily"]


class ExponentialFamily(Distribution):
    """p(x) = h(x) exp(<t(x), theta> - F(theta)): Normal, Bernoulli, Exponential, ..."""
