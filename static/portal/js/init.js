// Starts every GOV.UK Frontend component on the page. A relative import, so it finds
// the vendored module under its own name whatever the static files' storage.
import { initAll } from "../../govuk/govuk-frontend.min.js";

initAll();
