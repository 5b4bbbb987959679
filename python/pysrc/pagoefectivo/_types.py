"""Argument types shared by the resources: money, durations, times."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Union

Amount = Union[Decimal, int, str]
"""Money: a Decimal, an int or a decimal string. A float is refused (it cannot hold cents exactly)."""
Seconds = Union[float, timedelta]
Time = Union[datetime, str]
