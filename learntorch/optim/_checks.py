"""Argument checks shared by the newer optimizers, with PyTorch's words (from ``_errors``)."""
from .._errors import fail


def check_lr(lr):
    if not 0.0 <= lr:
        fail("optim_lr", lr=lr)


def check_adam_like(lr, betas, eps, weight_decay):
    """lr >= 0, eps >= 0, 0 <= beta < 1, weight_decay >= 0: in PyTorch's order."""
    check_lr(lr)
    if not 0.0 <= eps:
        fail("optim_eps", eps=eps)
    for i in (0, 1):
        if not 0.0 <= betas[i] < 1.0:
            fail("optim_beta", i=i, beta=betas[i])
    if not 0.0 <= weight_decay:
        fail("optim_weight_decay", wd=weight_decay)
