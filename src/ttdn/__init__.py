"""TTĐN Platform: monitor → measure → respond → publish → measure the effect."""

__version__ = "0.1.0"
