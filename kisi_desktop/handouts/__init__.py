"""Handout content catalog and the layout of multilingual handouts as PDF."""
