"""This app's part of the demo dataset."""

import random


def build(rng: random.Random, *, secretariat) -> dict[str, int]:
    return {}
