"""Pages for bidding rounds and bids: each parses a form, checks the user's permission
on the object, calls one service or selector, and redirects with a message or renders."""
