"""How big each scale is, and the skewed draws that make the data look like the
papers: a few large grants among many small ones, slipping milestones, councils that
return late or not at all."""

import datetime
import math
import random
from dataclasses import dataclass
from decimal import Decimal

DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Scale:
    partnerships: int
    organisations: int
    sub_regions: int
    programmes: int
    projects: int
    milestones: int
    savings_entries: int


SCALES = {
    "small": Scale(1, 20, 3, 4, 200, 2_000, 2_000),
    "regional": Scale(1, 45, 5, 22, 2_200, 22_000, 111_000),
    "national": Scale(9, 400, 45, 200, 20_000, 200_000, 1_000_000),
}


def money(value: float, *, to: int = 100) -> Decimal:
    """Round to the nearest ``to`` pounds, as grants and savings are written."""
    return Decimal(max(to, round(value / to) * to)).quantize(Decimal("0.01"))


def skewed(rng: random.Random, median: float, spread: float, *, low: float, high: float) -> float:
    """A log-normal draw, clipped: most values near ``median``, a long tail above it."""
    return min(high, max(low, math.exp(rng.gauss(math.log(median), spread))))


def shares(rng: random.Random, total: int, parts: int) -> list[int]:
    """``total`` split into ``parts`` whole numbers that add up to it exactly, unevenly."""
    weights = [rng.expovariate(1) + 0.2 for _ in range(parts)]
    scale = total / sum(weights)
    counts = [int(weight * scale) for weight in weights]
    for index in rng.sample(range(parts), total - sum(counts)):
        counts[index] += 1
    return counts


def even_with_jitter(rng: random.Random, total: int, parts: int, jitter: int) -> list[int]:
    """``total`` split into ``parts`` near-equal counts (± ``jitter``), each at least one."""
    base, extra = divmod(total, parts)
    counts = [base + (1 if index < extra else 0) for index in range(parts)]
    for index in range(0, parts - 1, 2):
        shift = rng.randint(-jitter, jitter)
        shift = max(1 - counts[index], min(counts[index + 1] - 1, shift))
        counts[index] += shift
        counts[index + 1] -= shift
    return counts


def split_money(rng: random.Random, total: Decimal, parts: int) -> list[Decimal]:
    """``total`` split into ``parts`` positive amounts in whole pounds that add up to it."""
    pounds = int(total)
    if parts == 1 or pounds < parts:
        return [total] + [Decimal("0.00")] * (parts - 1)
    weights = [rng.uniform(0.6, 1.4) for _ in range(parts)]
    scale = (pounds - parts) / sum(weights)
    amounts = [1 + int(weight * scale) for weight in weights[:-1]]
    amounts.append(pounds - sum(amounts))
    remainder = total - pounds
    return [
        Decimal(amount) + (remainder if index == parts - 1 else 0)
        for index, amount in enumerate(amounts)
    ]
