"""A monotonic clock and sleeper for tests, moved by the code under test.

Deadlines, backoff and lock waits take ``monotonic`` and ``sleep``
callables. A :class:`Timeline` gives both: sleeps are recorded and add to
the time without sleeping, and each reading of the clock adds ``tick``
seconds. Time thus advances with the work done, not with the wall clock,
so no outcome depends on how busy the machine is.
"""

from __future__ import annotations

import threading

#: Readings of the clock in which :meth:`Timeline.for_deadline` lets a
#: deadline pass. A fetched source takes under 40 (an endless body, cut at
#: the size cap, under 90); a body dripping a byte per reading gets there
#: in a few seconds.
DEADLINE_READINGS = 250


class Timeline:
    """Seconds that pass by sleeps and by ``tick`` at each reading."""

    def __init__(self, tick: float = 0.0) -> None:
        self.now = 0.0
        self.tick = tick
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    @classmethod
    def for_deadline(
        cls, deadline: float, readings: int = DEADLINE_READINGS
    ) -> Timeline:
        """A timeline on which ``deadline`` passes after ``readings`` readings."""
        return cls(tick=deadline / readings)

    def monotonic(self) -> float:
        """The time, after moving it on by one ``tick``."""
        with self._lock:
            self.now += self.tick
            return self.now

    def sleep(self, seconds: float) -> None:
        """Record a sleep and let its time pass at once."""
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds
