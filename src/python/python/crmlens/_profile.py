"""Profile states: not in this version of the wheel.

The profile's per-column states (moments, HyperLogLog, KLL, frequencies, text facets; then the
second pass planned from the merged first pass) do not have a byte form yet, so they cannot be
shipped between engine workers. ``ProfileState.update`` raises until they do.
"""


class ProfileState:
    """Placeholder: see the module doc."""

    @classmethod
    def update(cls, *_a, **_k):
        raise NotImplementedError("crmlens.ProfileState: the profile states have no byte form yet (see docs-python.md)")

    @classmethod
    def merge(cls, *_a, **_k):
        raise NotImplementedError("crmlens.ProfileState: the profile states have no byte form yet (see docs-python.md)")


def profile(*_a, **_k):
    raise NotImplementedError("crmlens.profile: the profile states have no byte form yet (see docs-python.md)")
