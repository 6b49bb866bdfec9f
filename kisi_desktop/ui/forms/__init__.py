"""Record forms built from the domain's field specs, with messages beside each field."""
