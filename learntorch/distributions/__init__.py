"""torch.distributions: probability distributions (概率分布) and KL divergence.

``Normal(loc, scale).sample((3,))`` draws, ``.rsample()`` draws with gradients (reparameterization),
``.log_prob(x)`` scores, ``kl_divergence(p, q)`` compares.  After ``manual_seed`` the draws equal
PyTorch's on the CPU, because each distribution calls the same random functions PyTorch's does.
"""
from . import constraints
from .bernoulli import Bernoulli
from .categorical import Categorical
from .distribution import Distribution
from .exp_family import ExponentialFamily
from .exponential import Exponential
from .independent import Independent
from .kl import kl_divergence, register_kl
from .laplace import Laplace
from .multivariate_normal import MultivariateNormal
from .normal import Normal
from .one_hot_categorical import OneHotCategorical
from .uniform import Uniform

__all__ = ["Bernoulli", "Categorical", "Distribution", "Exponential", "ExponentialFamily", "Independent",
           "Laplace", "MultivariateNormal", "Normal", "OneHotCategorical", "Uniform", "constraints",
           "kl_divergence", "register_kl"]
