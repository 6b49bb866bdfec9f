"""Signed, encrypted export bundles, ministry receipts and content packs (age + minisign)."""
