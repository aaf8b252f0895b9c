// Starts Swagger UI on /docs with the options of FastAPI's own docs page, from the copy this
// server serves (scripts/fetch-swagger-ui.sh) rather than a CDN. A file and not an inline
// script, so that /docs works under the same Content-Security-Policy as the web page.
"use strict";

window.ui = window.SwaggerUIBundle({
  url: "openapi.json",
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  // No badge that sends the schema to an online validator: nothing leaves this machine.
  validatorUrl: null,
  presets: [window.SwaggerUIBundle.presets.apis, window.SwaggerUIBundle.SwaggerUIStandalonePreset],
});
