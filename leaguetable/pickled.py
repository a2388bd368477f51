"""Frozen dataclasses that pickle quickly: the shared rankings of 15,000 PCTs hold 120,000 of them.

Every worker that starts unpickles the rankings other workers built (leaguetable/queries.py). A
frozen dataclass with slots pickles through dataclasses' own __getstate__ and __setstate__, which
look the fields up again for every object: at 15,000 PCTs that was most of a worker's first
request. These look them up once per class, and restore the derived fields as they were stored
(no __post_init__ runs again).
"""

import dataclasses

_set = object.__setattr__


def quick_to_pickle(cls):
    """Give a frozen, slotted dataclass a state of its fields' values in order, as a tuple."""
    names = tuple(field.name for field in dataclasses.fields(cls))

    def __getstate__(self):
        return tuple([getattr(self, name) for name in names])

    def __setstate__(self, state):
        for name, value in zip(names, state, strict=True):
            _set(self, name, value)

    cls.__getstate__ = __getstate__
    cls.__setstate__ = __setstate__
    return cls
