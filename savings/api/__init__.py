"""The read-only API of councils' savings entries, returns, targets and forecasts."""
