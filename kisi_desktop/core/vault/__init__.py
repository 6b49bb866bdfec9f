"""Keys and sealing: passphrase and recovery slots, the vault master key, record envelopes."""
