"""jettui: an OpenCart ↔ Jet.com dashboard and headless cron tool."""

__version__ = "0.1.0"
