// The API docs page: Swagger UI (vendored) showing the OpenAPI description named by the page.
(function () {
  'use strict';
  function start() {
    var root = document.getElementById('api-docs');
    if (!root || typeof window.SwaggerUIBundle !== 'function') return;
    window.SwaggerUIBundle({
      url: root.dataset.description,
      domNode: root,
      deepLinking: true,
      // Nothing is fetched from elsewhere: no validator badge, no remote presets.
      validatorUrl: null,
      tryItOutEnabled: false,
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
