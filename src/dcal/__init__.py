"""dcal: schedules for multi-city, multi-time-zone events, in your own time zone."""

__version__ = "0.1.0"
