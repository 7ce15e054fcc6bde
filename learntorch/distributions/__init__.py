"""torch.distributions: probability distributions (概率分布) and KL divergence.

``Normal(loc, scale).sample((3,))`` draws, ``.rsample()`` draws with gradients (reparameterization),
``.log_prob(x)`` scores, ``kl_divergence(p, q)`` compares.  After ``manual_seed`` the draws equal
PyTorch's on the CPU, because each distribution calls the same random functions PyTorch's does.
"""
from . import constraints, transforms
from .binomial import Binomial
from .cauchy import Cauchy
from .bernoulli import Bernoulli
from .categorical import Categorical
from .constraint_registry import biject_to, transform_to
from .distribution import Distribution
from .exp_family import ExponentialFamily
from .exponential import Exponential
from .geometric import Geometric
from .gumbel import Gumbel
from .half_normal import HalfNormal
from .independent import Independent
from .kl import kl_divergence, register_kl
from .laplace import Laplace
from .log_normal import LogNormal
from .multinomial import Multinomial
from .multivariate_normal import MultivariateNormal
from .normal import Normal
from .one_hot_categorical import OneHotCategorical
from .poisson import Poisson
from .transformed_distribution import TransformedDistribution
from .transforms import (AbsTransform, AffineTransform, ComposeTransform, ExpTransform, IndependentTransform,
                         SigmoidTransform, SoftmaxTransform, TanhTransform, Transform)
from .uniform import Uniform

__all__ = ["AbsTransform", "AffineTransform", "Bernoulli", "Binomial", "Categorical", "Cauchy", "ComposeTransform",
           "Distribution", "ExpTransform", "Exponential", "ExponentialFamily", "Geometric", "Gumbel", "HalfNormal",
           "Independent", "IndependentTransform", "Laplace", "LogNormal", "Multinomial", "MultivariateNormal", "Normal",
           "OneHotCategorical", "Poisson", "SigmoidTransform", "SoftmaxTransform", "TanhTransform", "Transform",
           "TransformedDistribution", "Uniform", "biject_to", "constraints", "kl_divergence", "register_kl",
           "transform_to", "transforms"]
