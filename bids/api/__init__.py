"""The read-only API of bidding rounds and bids."""
