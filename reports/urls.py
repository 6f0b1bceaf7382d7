app_name = "reports"

# The home page is routed in config/urls.py: settings name it "home", outside this
# app's namespace, as the page to land on after signing in.
urlpatterns: list = []
