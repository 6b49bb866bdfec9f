"""KISI Desktop: offline case notes, handouts and reporting for Hessen's Integrationsguides."""

__version__ = "0.1.0"
