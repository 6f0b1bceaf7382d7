"""Pages of project delivery, one module per part of the work; projects/urls.py
names each page's view."""
