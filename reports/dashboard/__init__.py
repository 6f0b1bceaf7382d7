"""The dashboard: a partnership's money, savings, projects, bids and board actions at a
glance, for its programme managers and board members.

``figures`` reads what is in view, each figure from the selectors of the app that owns
it; ``charts`` lays rows out as bars beside the table that holds the same rows;
``page`` puts the page together and links each figure to the list behind it, where
the portal has one.
Everything is read in a fixed number of queries, however many programmes, projects,
bids, milestones, reports or savings entries there are.
"""
