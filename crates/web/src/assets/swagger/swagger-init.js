// Starts Swagger UI on /api/docs (a file of its own: the CSP allows no inline script).
"use strict";
window.addEventListener("load", () => {
  const csrf = document.querySelector('meta[name="csrf-token"]');
  window.ui = window.SwaggerUIBundle({
    url: "/api/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    // The public validator is on the internet; intranets have none.
    validatorUrl: null,
    // Staff writes need the session's CSRF token (the page carries it when logged in).
    requestInterceptor: (req) => {
      if (csrf && csrf.content) req.headers["X-CSRF-Token"] = csrf.content;
      return req;
    },
  });
});
