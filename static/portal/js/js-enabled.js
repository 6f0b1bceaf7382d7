// GOV.UK Frontend's page template marks the body before anything draws, so components
// styled for JavaScript do not flash their no-JavaScript look. A file, not an inline
// script, so the Content-Security-Policy needs no 'unsafe-inline' (docs/adr/0017).
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
