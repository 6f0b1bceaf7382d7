"""The read-only API of programmes, budget lines and the money ledger."""
