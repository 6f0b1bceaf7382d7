"""The read-only API of projects, their milestones and grant payments."""
