"""The ministry side: keys, registry of municipalities, bundle intake, aggregation, receipts."""
