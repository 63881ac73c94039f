"""FocusGuard: a desktop focus guard against productive distractions."""

__version__ = "0.1.0"
