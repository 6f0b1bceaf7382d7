"""The read-only API of partnerships, organisations and sub-regions, and what every
app's API views share (``access``, ``pagination``)."""
