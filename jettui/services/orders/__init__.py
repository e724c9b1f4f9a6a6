"""Jet orders: import, acknowledge, ship and cancel, status mirroring, read models."""
