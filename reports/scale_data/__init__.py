"""Synthetic data at the scale of a region or the whole country, for load tests and
for timing pages against realistic volumes (``manage.py generate_scale_data``)."""

from .builder import ScaleDataError, generate_scale_data
from .shapes import SCALES

__all__ = ["SCALES", "ScaleDataError", "generate_scale_data"]
